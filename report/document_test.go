package report

import (
	"reflect"
	"strings"
	"testing"
)

// WithText reaches every word a chart shows, and leaves the chart it was
// called on as it was (the document keeps the unmarked one).
func TestChartWithTextReachesEveryWord(t *testing.T) {
	c := Chart{Title: "t", Unit: "u", TargetName: "g", Categories: []string{"c1", "c2"},
		Series: []Series{{Name: "s", Values: []float64{1, 2}}}}
	before := Chart{Title: "t", Unit: "u", TargetName: "g", Categories: []string{"c1", "c2"},
		Series: []Series{{Name: "s", Values: []float64{1, 2}}}}
	got := c.WithText(strings.ToUpper)
	want := Chart{Title: "T", Unit: "U", TargetName: "G", Categories: []string{"C1", "C2"},
		Series: []Series{{Name: "S", Values: []float64{1, 2}}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if !reflect.DeepEqual(c, before) {
		t.Errorf("the chart itself changed: %+v", c)
	}
}
