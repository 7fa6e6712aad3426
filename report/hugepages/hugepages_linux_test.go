package hugepages

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"
)

func TestHeapAdviceApplies(t *testing.T) {
	for _, c := range []struct {
		thp, overcommit, godebug string
		want                     bool
	}{
		{"always [madvise] never\n", "0\n", "", true},
		{"always [madvise] never\n", "1\n", "madvdontneed=1", true},
		{"always [madvise] never\n", "0\n", "madvdontneed=1,disablethp=0", true},
		{"[always] madvise never\n", "0\n", "", false}, // the heap has huge pages already
		{"always madvise [never]\n", "0\n", "", false},
		{"always [madvise] never\n", "2\n", "", false}, // the mapped heap would be charged
		{"always [madvise] never\n", "", "", false},    // unreadable: do nothing
		{"", "0\n", "", false},
		{"always [madvise] never\n", "0\n", "disablethp=1", false},
		{"always [madvise] never\n", "0\n", "gctrace=1, disablethp=1", false},
	} {
		if got := heapAdviceApplies(c.thp, c.overcommit, c.godebug); got != c.want {
			t.Errorf("heapAdviceApplies(%q, %q, %q) = %v, want %v", c.thp, c.overcommit, c.godebug, got, c.want)
		}
	}
}

// The advice is the kernel's flag on the memory (hg among an area's
// VmFlags in /proc/self/smaps), set whatever the machine's mode.
func TestAdviseMarksTheMemory(t *testing.T) {
	s := make([]uint64, 1<<20) // 8 MiB: three whole huge pages at least
	Advise(s)
	if flags := vmFlags(t, unsafe.Pointer(&s[len(s)/2])); !hasFlag(flags, "hg") {
		t.Fatalf("VmFlags of advised memory: %q, want hg", flags)
	}
	Advise(s[:1]) // smaller than a huge page: nothing to advise, and no failure
}

// The heap is advised where the machine's settings call for it, and then
// an allocation made after it lies in advised memory.
func TestAdviseHeapCoversLaterAllocations(t *testing.T) {
	want := heapAdviceApplies(setting("/sys/kernel/mm/transparent_hugepage/enabled"),
		setting("/proc/sys/vm/overcommit_memory"), os.Getenv("GODEBUG"))
	if got := AdviseHeap(); got != want {
		t.Fatalf("AdviseHeap = %v, but the machine's settings say %v", got, want)
	}
	later := make([]byte, 32<<20)
	flags := vmFlags(t, unsafe.Pointer(&later[len(later)/2]))
	if want && !hasFlag(flags, "hg") {
		t.Fatalf("VmFlags of memory allocated after AdviseHeap: %q, want hg", flags)
	}
	t.Logf("advised: %v; VmFlags of a later allocation: %s", want, flags)
}

// vmFlags is the VmFlags line of the mapping that holds p.
func vmFlags(t *testing.T, p unsafe.Pointer) string {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	addr, inside := uintptr(p), false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if first, _, _ := strings.Cut(line, " "); !strings.HasSuffix(first, ":") { // a mapping's first line
			var start, end uintptr
			if _, err := fmt.Sscanf(first, "%x-%x", &start, &end); err != nil {
				t.Fatalf("smaps line %q: %v", line, err)
			}
			inside = start <= addr && addr < end
			continue
		}
		if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok && inside {
			return strings.TrimSpace(flags)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("no mapping in /proc/self/smaps holds %#x", addr)
	return ""
}

func hasFlag(flags, flag string) bool {
	for f := range strings.FieldsSeq(flags) {
		if f == flag {
			return true
		}
	}
	return false
}
