// Package chart draws a report.Chart for print with go-analyze/charts, in
// pure Go: layout computes a Figure from the chart alone — every text,
// bar, line, point and slice with its place in image pixels, text measured
// in the document's body font — and PNG paints it with go-analyze's
// Painter at DPI at the chart's printed size. Nothing is read back from a
// drawing: the Figure is the layout, and the tests inspect it (Lay).
// go-echarts has its own job elsewhere (the HTML edition's interactive
// charts, from the same report.Chart).
//
// The charts are made to read on a black-and-white printer:
//   - series are told apart by lightness and pattern, not by hue: a dark
//     fill, a light one, white hatched in ink, a middle tone; every bar is
//     outlined, so a white one shows. The third series of a stack (不合格
//     in the case-file verdicts) is the hatched one;
//   - a pie's slices alternate in lightness and each is labelled with its
//     name, value and share; a pie needs three slices at least (two
//     numbers are a sentence);
//   - lines are dark, each with its own point shape (hollow circle, square,
//     diamond, dot);
//   - a target is a dashed line at its value, named with the value in the
//     legend (目标值 90%);
//   - every bar carries its value; a stack's segment carries it inside
//     when it has room; a line's point is labelled beside it where the
//     label covers no line (the target's included), tick or other label,
//     with no line between it and its point, or not at all (the workbook
//     has every value), but a point under the target always
//     (placeLabels);
//   - value axes start at 0 in round steps; a count axis names its unit
//     (单位：件), a share axis does not, its ticks say %.
//
// Category names too wide for their slot under vertical bars are set in
// two or more short lines; horizontal bars suit many long Chinese names.
package chart
