package hugepages

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

func TestHeapAdviceApplies(t *testing.T) {
	const none = math.MaxInt64
	for _, c := range []struct {
		thp, overcommit, godebug string
		limit                    int64
		want                     bool
	}{
		{"always [madvise] never\n", "0\n", "", none, true},
		{"always [madvise] never\n", "1\n", "madvdontneed=1", none, true},
		{"always [madvise] never\n", "0\n", "madvdontneed=1,disablethp=0", none, true},
		{"always [madvise] never\n", "0\n", "disablethp=1,disablethp=0", none, true}, // the last one counts
		{"[always] madvise never\n", "0\n", "", none, false},                         // the heap has huge pages already
		{"always madvise [never]\n", "0\n", "", none, false},
		{"always [madvise] never\n", "2\n", "", none, false}, // the mapped heap would be charged
		{"always [madvise] never\n", "", "", none, false},    // unreadable: do nothing
		{"", "0\n", "", none, false},
		{"always [madvise] never\n", "0\n", "disablethp=1", none, false},
		{"always [madvise] never\n", "0\n", "gctrace=1,disablethp=1", none, false},
		{"always [madvise] never\n", "0\n", "", 400 << 20, false}, // GOMEMLIMIT=400MiB
	} {
		if got := heapAdviceApplies(c.thp, c.overcommit, c.godebug, c.limit); got != c.want {
			t.Errorf("heapAdviceApplies(%q, %q, %q, %d) = %v, want %v", c.thp, c.overcommit, c.godebug, c.limit, got, c.want)
		}
	}
}

// The advice is the kernel's flag on the memory (hg among an area's
// VmFlags in /proc/self/smaps), set whatever the mode, where the kernel
// has transparent huge pages at all; memory smaller than a huge page is
// not advised.
func TestAdviseMarksTheMemory(t *testing.T) {
	s := make([]uint64, 1<<20) // 8 MiB: three whole huge pages at least
	p := uintptr(unsafe.Pointer(&s[0]))
	_, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled")
	kernelHasTHP := err == nil
	if advised := advise(p, 8<<20); advised != kernelHasTHP {
		t.Fatalf("advised %v, but the kernel has transparent huge pages: %v", advised, kernelHasTHP)
	}
	if flags := vmFlags(t, unsafe.Pointer(&s[len(s)/2])); kernelHasTHP && !hasFlag(flags, "hg") {
		t.Fatalf("VmFlags of advised memory: %q, want hg", flags)
	}
	if advise(p, hugePage-1) {
		t.Error("advised less than a huge page")
	}
}

// Where the machine's settings call for it, the heap is advised, without
// touching the GiB it maps, and an allocation made after it lies in
// advised memory; a second call does nothing more.
func TestAdviseHeapCoversLaterAllocations(t *testing.T) {
	want := applies() && mappable(heapAdvised+heapAdvised/4)
	before := rssAnon(t)
	if got := AdviseHeap(); got != want {
		t.Fatalf("AdviseHeap = %v, but the machine's settings say %v", got, want)
	}
	if AdviseHeap() != want {
		t.Fatal("a second call answered otherwise")
	}
	if grew := rssAnon(t) - before; grew > 32<<20 {
		t.Fatalf("the process's memory grew by %d MiB: the mapped GiB was touched", grew>>20)
	}
	later := make([]byte, 32<<20)
	flags := vmFlags(t, unsafe.Pointer(&later[len(later)/2]))
	if want && !hasFlag(flags, "hg") {
		t.Fatalf("VmFlags of memory allocated after AdviseHeap: %q, want hg", flags)
	}
	t.Logf("advised: %v; VmFlags of a later allocation: %s", want, flags)
}

// Under a limit on the address space that leaves no room for the GiB
// (ulimit -v, systemd's LimitAS=), AdviseHeap declines and the process
// goes on; had it let the heap ask, the runtime would have ended the
// process ("fatal error: out of memory"). In a process of its own: the
// limit and AdviseHeap's once are the process's.
func TestAdviseHeapUnderAnAddressSpaceLimit(t *testing.T) {
	if os.Getenv("HUGEPAGES_TEST_LIMITED") != "" {
		limit := uint64(status(t, "VmSize:")) + 256<<20
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
			t.Fatal(err)
		}
		advised := AdviseHeap()
		work := make([]byte, 64<<20) // the process still has its memory
		for i := range work {
			work[i] = 1
		}
		fmt.Printf("advised=%v\n", advised)
		return
	}
	child := exec.Command(os.Args[0], "-test.run=^TestAdviseHeapUnderAnAddressSpaceLimit$", "-test.count=1", "-test.v")
	child.Env = append(os.Environ(), "HUGEPAGES_TEST_LIMITED=1")
	out, err := child.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "advised=false") {
		t.Fatalf("under the limit: %v\n%s", err, out)
	}
}

// rssAnon is the process's resident anonymous memory, in bytes.
func rssAnon(t *testing.T) int { return status(t, "RssAnon:") }

// status is a line of /proc/self/status given in kB, in bytes.
func status(t *testing.T, field string) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				t.Fatalf("%s line %q: %v", field, line, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// vmFlags is the VmFlags line of the mapping that holds p.
func vmFlags(t *testing.T, p unsafe.Pointer) string {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	addr, inside := uintptr(p), false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if first, _, _ := strings.Cut(line, " "); !strings.HasSuffix(first, ":") { // a mapping's first line
			var start, end uintptr
			if _, err := fmt.Sscanf(first, "%x-%x", &start, &end); err != nil {
				t.Fatalf("smaps line %q: %v", line, err)
			}
			inside = start <= addr && addr < end
			continue
		}
		if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok && inside {
			return strings.TrimSpace(flags)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("no mapping in /proc/self/smaps holds %#x", addr)
	return ""
}

func hasFlag(flags, flag string) bool {
	for f := range strings.FieldsSeq(flags) {
		if f == flag {
			return true
		}
	}
	return false
}
