// Package sample generates realistic monthly exports for the tool to read,
// and embeds one generated set: Jing'an, 2024-12 to 2025-12 (DefaultOptions).
//
// Generate writes a data root: one folder per month (2024-12/ ... 2025-12/),
// each holding that month's six exports of data-contract.md (案件, 抽查明细,
// 监督检查, 诉件, 中队督察, 工作台账). Extract writes the embedded set out;
// FS serves it. `go generate` (gen/main.go) re-makes report/sample/data.
//
// # What a folder holds
//
// Rows sit in the folder of the month they are dated in, with these
// exceptions, as real exports have them:
//   - 案件: a month's export lists the cases filed in it (as they stand at its
//     end) and the cases closed in it that were filed earlier (closed). A case
//     filed in April and closed in May is in both folders, open then closed;
//     long 违法建筑 cases filed in 2024 are closed (and sampled) in 2025.
//   - 抽查明细, 监督检查, 诉件: each folder also holds a late record dated on
//     the previous month's last days (one sample, one inspection, ~0.3% of the
//     previous month's complaints) that the previous folder lacks.
//   - 监督检查: inspections of the two months before whose rectification moved
//     on during the month are exported again with the newer 整改状态.
//   - 诉件: about a quarter of a month's sampled complaints were received in
//     the previous month's last days; they are exported again, now sampled.
//   - 中队督察: records are in the folder of their date, so a week that
//     straddles a month end has records in both folders (a week's first
//     record always lies in the month the week belongs to).
//   - 工作台账: the previous month's 月度工作总结和计划 is submitted (and
//     filed) in the month; some rows carry a 所属期间 of another period.
//
// # Quirks by calendar month (the same in every year)
//
// Header variant k names each column names[k mod len(names)] from the
// contract's list "canonical [aliases]": variant 0 is canonical, 1 the first
// alias (案号, 办案单位, 违法行为, 立案时间, ...), and so on.
//
//	month  files                       layout                                     headers                          dates                           booleans        squads
//	Dec    .xlsx 案件.xlsx              sheet 案件, header in row 1, contract order  canonical                        real date cells                 是/否           江宁路中队
//	Jan    .xlsx 案件_2025年1月.xlsx    title row + export-time row                 variant 1                        Excel serial numbers (+time)    Y/N             江宁路
//	Feb    .csv UTF-8 with BOM 案件-导出  title + export time, columns shuffled      variant 2                        2025/2/3 9:05                   1/0             江宁路街道中队
//	Mar    .xlsx                       title merged across the header + time,     variant 3 + （必填）             2025.3.3                        true/false and  all five, per row
//	                                   extra columns (序号, 当事人类型, ...)                                                                          boolean cells
//	Apr    诉件, 中队督察, 工作台账 .csv GBK, title row                             canonical + *                    2025年4月3日 14:20              √/×             静安区城管执法局江宁路中队
//	       the rest .xlsx
//	May    .xlsx                       sheet 说明 first, data on sheet 案件;       variant 1                        20250503 14:20:00               是/empty        江宁路街道 (机动执法中队)
//	                                   empty rows after data rows 3 and 40
//	Jun    .xlsx                       data on the only sheet, named Sheet1;      variant 2 + (必填) half-width    real date-time cells            Y/N, numeric    江宁路, 江宁路中队
//	                                   columns shuffled; 合计 row on every sheet                                                                     1/0 cells
//	Jul    .csv UTF-8 without BOM      title row, extra columns                   canonical                        all five text forms, per row    all text forms  all five, per row
//	Aug    .xlsx                       title + export time                        variant 3, names padded with     Excel serial numbers            √/×             江宁路街道中队
//	                                                                              full-width spaces, ＊ marker
//	Sep    抽查明细, 工作台账 .csv BOM;  no title                                   variant 1                        2025-09-03 14:20:00             true/false      静安区城管执法局…, 街道中队
//	       诉件 .csv GBK; rest .xlsx
//	Oct    .xlsx                       merged title + time, columns shuffled,     variant 2                        real date cells                 是/否           all five, per row
//	                                   extra columns, empty rows, 合计 rows
//	Nov    .csv GBK                    title + export time                        variant 3 + *                    2025年11月3日                   √/×             江宁路街道
//
// Further quirks: the February export of 案件 and 诉件 ends in a 合计 row;
// 工作台账 mixes every date form in every month (it is kept by hand), and
// June's groups its rows by department with the 责任科室 cell merged down
// each group; in August 抽查类型, 诉件类型 (12345 for 投诉) and 监督事项 are
// written with their aliases; several 异常类型 in one cell are separated by
// 、 ； , or /; June's 抽查明细 leaves 承办中队 empty (taken from the case).
//
// The first folder (2024-12) has no 上月: its samples are of cases closed
// in 2024-11, which no folder holds, so they name unknown case ids.
//
// Bad rows, one each: March 案件 has a case of 外滩中队 (no such squad);
// April 抽查明细 samples a case id no export has (JA2025030000: a warning, the
// row counts); May 监督检查 has 检查日期 2025-13-45; June 诉件 has 外滩中队;
// July 监督检查 has 发现问题数 -2; September 诉件 has 受理日期 2025-13-45.
//
// # The story: quotas of rules.md met and missed
//
// Counts are derived from each month's own denominators, so the story holds
// for any seed at Scale ≥ 1 (the tests check the embedded set and seed 7 at
// Scale 1.5); at small scales a month may lack, say, the 重大法核 cases to
// leave unsampled. Squads by position, default names shown:
//   - lawful.case_sample_rate: ≥ 12% every month but March and August (6.5%).
//     Each month's first 案卷 sample is the longest-running case closed the
//     month before: June's was filed in 2024.
//   - lawful.annual_per_squad: 临汾路中队 gets one 案卷 sample in each of
//     February, May, September and November only (4 a year, and behind pace
//     all year); 彭浦镇中队 none in H2, so lawful.squad_coverage_half fails in
//     December.
//   - legal_review.major_case_coverage: every 重大法核 case closed in a month
//     is sampled in it, except 2 in May and 1 in September.
//   - recording.av_sample_rate: ≥ 12% but April (6%); in October all 视音频
//     samples come from 江宁路中队 and 石门二路中队, missing the 20% squads.
//   - disclosure.checked_month: no 公示制度 inspection in February;
//     disclosure.squad_coverage_half: 大宁路中队 never inspected on 公示制度 in
//     H1, so it fails in June.
//   - accountability.squad_coverage_month: only 2 squads in October.
//   - effectiveness.squad_coverage_month: only 2 squads in January;
//     effectiveness.squad_coverage_half: 共和新路中队 never in H2 (fails in
//     December).
//   - Other coverage items visit every squad each half and ≥ 20% a month.
//   - lawful.review_meeting: no 案卷质量讲评会 in July.
//   - lawful.centralized_review_half: 案卷集中评查 in June (所属期间
//     2025年上半年) and November.
//   - effectiveness.summary_on_time: March's 月度工作总结和计划 submitted on
//     April 9 (late); every other by the 5th.
//   - team.dynamic_info: no 强转树动态信息 for September; November's is
//     submitted on December 2 (in December's folder, 所属期间 2025-11).
//   - 自查报告: H1's 公示制度 and 全过程记录 in June, 重大法核 late on July 4;
//     H2's in December (所属期间 2025-H2 / 2025年下半年); 强转树年度总结 in
//     December (所属期间 2025); 中队年度监督计划 from every squad in January,
//     彭浦新村中队's in February.
//   - complaints.sample_rate: ≥ 1.3% but February and November (0.5%).
//   - squads.weekly_records: 北站中队 misses March's 2nd week, 芷江西路中队
//     July's 1st and October's 3rd; every other squad covers every week.
//   - Rectification: 8% of problems are never rectified (overdue for good),
//     14% late; 静安寺中队 has more 不合格 case files, 天目西路中队 more
//     履职不到位 complaints.
//
// # Scale
//
// Scale multiplies row counts (cases, samples, inspections, complaints,
// weekly records), not squads. Rows are streamed: complaints are never held
// in memory, cases are held compactly (~30 bytes each). An .xlsx sheet holds
// at most 1,048,576 rows: a month of more complaints (above Scale ≈ 750 in
// July) needs FormatCSV; Generate names the file that overflowed.
package sample
