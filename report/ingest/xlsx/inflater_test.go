package xlsx

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
)

// Inflaters reused from part to part, and in parts read at once, give
// each part's bytes; a part closed twice does not hand its inflater out
// twice, and reads nothing after it is closed.
func TestInflaterReusedGivesEachPartItsBytes(t *testing.T) {
	parts := make([][]byte, 8)
	packed := make([][]byte, len(parts))
	for i := range parts {
		parts[i] = bytes.Repeat([]byte(fmt.Sprintf("<row r=\"%d\">第%d部分</row>", i, i)), 20000+i*1000)
		var b bytes.Buffer
		w, _ := flate.NewWriter(&b, flate.BestSpeed)
		w.Write(parts[i])
		w.Close()
		packed[i] = b.Bytes()
	}
	read := func(i int) error {
		rc := Inflater(bytes.NewReader(packed[i]))
		got, err := io.ReadAll(rc)
		if err != nil || !bytes.Equal(got, parts[i]) {
			return fmt.Errorf("part %d: %d bytes, %v", i, len(got), err)
		}
		if err := rc.Close(); err != nil {
			return err
		}
		if err := rc.Close(); !errors.Is(err, errClosed) {
			return fmt.Errorf("part %d closed twice: %v", i, err)
		}
		if _, err := rc.Read(make([]byte, 1)); !errors.Is(err, errClosed) {
			return fmt.Errorf("part %d read after closing: %v", i, err)
		}
		return nil
	}
	for round := range 3 {
		var wg sync.WaitGroup
		errs := make([]error, len(parts))
		for i := range parts {
			if round == 0 {
				errs[i] = read(i) // one after the other
				continue
			}
			wg.Go(func() { errs[i] = read(i) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}
