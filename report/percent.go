package report

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Rate is a share (0.0098) as every document prints it: a percentage
// rounded half up to one decimal, trailing zeros cut (12.3%, 20%). A rate
// judged against a target is printed with as many more decimals as it
// takes to stand on the side of the target that its value stands on
// (rules-interpretation 6, 27): 11/1121 against ≥1% is 0.98%, not 1%; 9.96%
// against ≥10% is not 10%. A value at or above its target never prints
// below it.
type Rate struct {
	Share  float64
	Target *float64 // nil: not judged against a target
}

// maxPercentDecimals is past the 13 decimals of a percentage that exact
// keeps, so a rate always finds its side.
const maxPercentDecimals = 13

// Decimals is how many decimals r is printed with, before trailing zeros
// are cut: 1, or more near its target.
func (r Rate) Decimals() int {
	if r.Target == nil || !finite(r.Share) || !finite(*r.Target) {
		return 1
	}
	v, t := Decimal(r.Share), Decimal(*r.Target)
	met := v.Cmp(t) >= 0
	k := 1
	for ; k < maxPercentDecimals; k++ {
		if (roundPercent(v, k).Cmp(percentOf(t)) >= 0) == met {
			break
		}
	}
	return k
}

// String is r printed: "0.98%"; a value that is not a number is "—".
func (r Rate) String() string {
	if !finite(r.Share) {
		return "—"
	}
	k := r.Decimals()
	return TrimZeros(roundPercent(Decimal(r.Share), k).FloatString(k)) + "%"
}

// Printed is the percentage as printed, exactly: 0.98 for "0.98%". It is
// for a number: a share that is not one (NaN, a pie of nothing) has none.
func (r Rate) Printed() *big.Rat {
	return roundPercent(Decimal(r.Share), r.Decimals())
}

// Percent prints a share as Rate does without a target: "12.3%".
func Percent(share float64) string { return Rate{Share: share}.String() }

// Shown is the number printed, as a chart shows it: 98.1 for 0.981; a
// share that is not a number stays one (a gap).
func (r Rate) Shown() float64 {
	if !finite(r.Share) {
		return r.Share
	}
	f, _ := r.Printed().Float64()
	return f
}

// Decimal is the decimal a float64 stands for, exactly, to round it as a
// reader would: a share n/d computed in floating point is within 1e-16 of
// n/d, so cut to 15 decimals it is n/d rounded there, and no target or
// rounding boundary of a printed percentage or score (at most 6 decimals)
// lies in between for any denominator under 10^8; a configured number
// (0.1, 12.5) is itself.
func Decimal(f float64) *big.Rat {
	r, _ := new(big.Rat).SetString(strconv.FormatFloat(f, 'f', 15, 64))
	return r
}

func percentOf(share *big.Rat) *big.Rat {
	return new(big.Rat).Mul(share, big.NewRat(100, 1))
}

// roundPercent is share in percent rounded half up to k decimals.
func roundPercent(share *big.Rat, k int) *big.Rat { return RoundHalfUp(percentOf(share), k) }

// RoundHalfUp is x rounded half away from zero to k decimals, as a reader
// rounds and as Excel shows a number: 96.45 is 96.5.
func RoundHalfUp(x *big.Rat, k int) *big.Rat {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
	x = new(big.Rat).Mul(x, new(big.Rat).SetInt(scale))
	neg := x.Sign() < 0
	x.Abs(x)
	x.Add(x, big.NewRat(1, 2))
	n := new(big.Int).Quo(x.Num(), x.Denom())
	if neg {
		n.Neg(n)
	}
	return new(big.Rat).SetFrac(n, scale)
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// TrimZeros cuts the trailing zeros of a decimal: 12.30 is 12.3, 20.0 is 20.
func TrimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}
