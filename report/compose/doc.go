// Package compose turns the figures of a period into documents: the monthly
// bulletin (Bulletin) and the half-year self-inspection reports
// (SelfInspection). It decides what a document contains and in which order —
// headings, paragraphs, tables with their workbook sheets, charts, annexes,
// masthead, signature and 版记 — and leaves the drawing to the renderers
// (report/pdf, report/chart, report/workbook), which never compute.
//
// Every sentence comes from the wording templates of templates/ (Go
// text/template, one file per section), so that a clerk can reword it
// without touching code; templates/README.md explains them in Chinese. A
// template that does not parse is reported by LoadTemplates, one that refers
// to a field that does not exist by Bulletin or SelfInspection; both name the
// file and the line, before anything is rendered.
package compose
