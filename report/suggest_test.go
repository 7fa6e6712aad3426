package report

import "testing"

func TestNearestSuggestsOnlyCloseSpellings(t *testing.T) {
	keys := []string{"target", "min_count", "frequency", "departments", "Numerator", "Denominator"}
	for word, want := range map[string]string{
		"taget":       "target",
		"targte":      "target",
		"frequncy":    "frequency",
		"Numeratr":    "Numerator",
		"numerator":   "Numerator",
		"departmens":  "departments",
		"colour":      "",
		"x":           "",
		"min_counts":  "min_count",
		"alias":       "",
		"denominator": "Denominator",
	} {
		if got := Nearest(word, keys); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", word, got, want)
		}
	}
}
