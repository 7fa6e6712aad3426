package ingest

import (
	"fmt"
	"path/filepath"
	"strings"

	"bulletin/report"
)

// prefixes are the file name beginnings of dataset's exports (config.toml
// [datasets.X] files), the dataset's name when none is configured.
func (rd *reader) prefixes(dataset string) []string {
	if p := rd.cfg.Datasets[dataset].Files; len(p) > 0 {
		return p
	}
	return []string{dataset}
}

// unmatched is the warning for a file of a month folder that is read as no
// dataset's export (5月案件.xlsx, 说明.txt, 月报.pdf): it names the file and
// the naming rule, and the dataset the name seems meant for.
func (rd *reader) unmatched(dir, name string) report.Warning {
	ext := strings.ToLower(filepath.Ext(name))
	why := "不是导出文件（只读 .xlsx 和 .csv），没有读取"
	if ext == ".xlsx" || ext == ".csv" || ext == ".xls" {
		why = "文件名不以任何数据集的名称开头，没有读取"
		for _, d := range datasets {
			for _, p := range rd.prefixes(d.datasetName()) {
				if strings.Contains(report.Fold(name), report.Fold(p)) {
					why += fmt.Sprintf("；如果它是「%s」导出，请改名为以“%s”开头，如“%s%s”", d.datasetName(), p, p, ext)
					return report.Warning{Kind: report.WarnUnmatched, File: filepath.Join(dir, name), Count: 1, Example: "“" + name + "”" + why}
				}
			}
		}
	}
	var names []string
	for _, d := range datasets {
		names = append(names, d.datasetName())
	}
	why += "。导出文件的名字要以数据集名称开头：" + strings.Join(names, "、") + "，如“案件.xlsx”“案件_2025年5月.xlsx”"
	return report.Warning{Kind: report.WarnUnmatched, File: filepath.Join(dir, name), Count: 1, Example: "“" + name + "”" + why}
}
