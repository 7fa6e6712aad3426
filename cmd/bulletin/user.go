package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"bulletin/report"
	"bulletin/report/sqlite"
)

// stdin is where `bulletin user` reads passwords; a terminal does not echo
// them.
var stdin io.Reader = os.Stdin

func runUser(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	role := fs.String("role", "", "角色：综合科（clerk）、领导（leader）或 只读（reader）")
	positional, err := parseWithArgs(fs, args) // the action and name may come before the options
	if err != nil {
		return err
	}
	if len(positional) == 0 {
		return report.Errorf(report.KindUsage, "要写明做什么：bulletin user add 姓名 --role 综合科（添加）、passwd 姓名（改密码）、disable 姓名（停用）或 list（列出）")
	}
	action, rest := positional[0], positional[1:]
	wantName := action != "list"
	if wantName && len(rest) != 1 || !wantName && len(rest) != 0 {
		return report.Errorf(report.KindUsage, "写法：bulletin user add 姓名 --role 综合科、bulletin user passwd 姓名、bulletin user disable 姓名、bulletin user list")
	}
	store, err := sqlite.Open(e.outDir)
	if err != nil {
		return err
	}
	defer store.Close()
	switch action {
	case "add":
		r, err := report.ParseRole(*role)
		if err != nil {
			return err
		}
		password, err := e.readPassword("新账号 " + rest[0] + " 的密码")
		if err != nil {
			return err
		}
		if err := store.AddUser(rest[0], r, password, e.now()); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "已建立账号 %s（%s）。\n", rest[0], r.Chinese())
	case "passwd":
		password, err := e.readPassword(rest[0] + " 的新密码")
		if err != nil {
			return err
		}
		if err := store.SetPassword(rest[0], password); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "已修改 %s 的密码；它已登录的浏览器需要重新登录。\n", rest[0])
	case "disable":
		if err := store.Disable(rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "已停用账号 %s。\n", rest[0])
	case "list":
		users, err := store.Users()
		if err != nil {
			return err
		}
		if len(users) == 0 {
			fmt.Fprintln(e.stdout, "还没有账号：bulletin user add 名字 --role 综合科")
			return nil
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "账号\t角色\t状态\t建立时间")
		for _, u := range users {
			state := "正常"
			if u.Disabled {
				state = "已停用"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role.Chinese(), state, u.Created.In(e.now().Location()).Format("2006-01-02 15:04"))
		}
		return tw.Flush()
	default:
		return report.Errorf(report.KindUsage, "没有“%s”这个操作：可以是 add（添加）、passwd（改密码）、disable（停用）、list（列出）", action)
	}
	return nil
}

// readPassword asks for a password twice on a terminal, or reads one line
// from a pipe (for scripts).
func (e *env) readPassword(prompt string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(e.stderr, "%s（至少 %d 个字符）：", prompt, sqlite.MinPassword)
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(e.stderr, "再输入一次：")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		if string(first) != string(second) {
			return "", report.Errorf(report.KindUsage, "两次输入的密码不一样")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", report.Errorf(report.KindUsage, "没有读到密码：请在终端里运行，或从标准输入给出一行密码")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
