// Package report holds the domain of the supervision bulletin: the plan and
// organisation (Config), the records read from the monthly exports
// (Dataset), the figures computed from them (Figures), the documents built
// from the figures (Document) and the data-quality findings (Quality).
//
// It depends on the standard library only. Every technology lives in its own
// subpackage (ingest, pdf, chart, workbook, mail, ...) that imports this
// package and none of its siblings; cmd/bulletin wires them together:
//
//	ingest → metrics → compose → (pdf, chart, workbook) → deliver
package report
