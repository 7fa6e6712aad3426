// Package chart draws a report.Chart: Options builds it once with go-echarts
// and returns its ECharts option JSON; PNG renders that JSON for print with
// go-analyze/charts, in pure Go, at DPI at the chart's printed size and in
// the document's body font. The report.Chart stays the one source: what the
// JSON cannot carry to go-analyze, PNG takes from it.
//
// The charts are made to read on a black-and-white printer: bars in greys
// of one blue-grey with distinct lightness, lines in dark tones each with
// its own point shape (hollow circle, square, diamond, dot), a value on
// every bar and segment and on every point that has room (always on a
// point below the chart's target), a title, the unit in the value axis' name (单位：件; a pie's
// subtitle), value axes from 0 in round steps, shares printed as 12.3%.
// Category labels that do not fit their slot are slanted 45° (90° when
// crowded); for many long Chinese names horizontal bars read best.
//
// # What go-analyze v0.6.4 makes of go-echarts' option JSON
//
// PNG does not call RenderEChartsToPNG: that draws at the JSON's size
// (ECharts keeps it outside the option) in a Latin font. It takes the same
// road, json → EChartsOption → ToOption → Render, and sets in between what
// the JSON does not say. go-analyze reads:
//   - title text, subtext, left, textStyle (fontSize, color, fontFamily);
//     legend data, show, left, top, textStyle;
//   - axis type, data, name, min and max, axisLabel rotate, fontSize,
//     color and a "{value}" formatter; a category y axis makes bars
//     horizontal;
//   - series bar, line and pie with their data (numbers or {name, value}),
//     itemStyle.color per series, lineStyle.width, label show and color
//     and a formatter template with {a} {b} {c} {d} (printed with up to two
//     decimals), symbol and symbolSize (the first series' for all lines);
//   - stack, for one stack group only and all or nothing: a line beside
//     stacked bars is an error.
//
// It does not read, or reads otherwise, and PNG makes up for it:
//   - a markLine at a fixed value: it knows min, max, average and median
//     only, and draws one without a type as the average. Over vertical
//     bars and lines a target is a flat line series in the JSON. A line
//     cannot be mixed with horizontal bars, a stack or a pie: across
//     horizontal bars the JSON has the markLine, and PNG draws the dashed
//     line itself where go-analyze put the value (it does not tell, so the
//     same chart is drawn as SVG and its axis and grid lines read back); a
//     target over vertical stacked bars or a pie is refused;
//   - label fontSize and the font sizes' unit: its sizes are points at
//     96 dpi, so every size, line width and padding is scaled to DPI;
//   - splitNumber, read as a label count, and minInterval/maxInterval: the
//     axis steps are set from the same scale as the JSON's;
//   - label offsets on line points and label positions other than above or
//     inside: a line's labels would sit right of its points whatever is
//     there, so PNG draws line charts through go-analyze's LineChartOption
//     (which also takes a point shape per line), reads the points back
//     from the same chart drawn as SVG, and places and draws the labels
//     itself (placeLabels); labels inside a stack are moved in by offsets;
//   - itemStyle of a data item: a pie's slices take the palette from the
//     installed theme;
//   - a pie's radius, which it takes as a share of the diameter;
//   - yAxis.inverse, and a horizontal bar's value axis min and max, which
//     ToOption drops: horizontal bars are drawn by its own BarChartOption,
//     categories turned to read from the top;
//   - lineStyle.type (no dashes); nameTextStyle is not emitted by
//     go-echarts, so axis names take the label size.
//
// Two go-analyze habits are worked around: it skips category labels that
// it thinks do not fit (PNG asks for all of them), and it centres a slanted
// label's bounding box under its slot, so labels are padded with
// ideographic spaces to one length to start under their bars.
//
// A line's value labels go above, below, right or left of their point,
// wherever they cover no other label, point or line. When there is no
// such place, a label of a value that meets the target is left out (the
// workbook has every value); a value below the target is always labelled.
package chart
