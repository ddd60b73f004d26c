package app

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/views"
)

// benchSizes are the shop sizes a benchmark builds: OCX_BENCH_SIZES
// (comma-separated numbers of orders) or def.
func benchSizes(b *testing.B, def ...int) []int {
	v := os.Getenv("OCX_BENCH_SIZES")
	if v == "" {
		return def
	}
	var sizes []int
	for part := range strings.SplitSeq(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n <= 0 {
			b.Fatalf("OCX_BENCH_SIZES: %q", part)
		}
		sizes = append(sizes, n)
	}
	return sizes
}

// shopOfOrders is a throw-away shop with n orders (numbered 1 to n) and a
// profile pointing at it.
func shopOfOrders(b *testing.B, n int) string {
	db := octest.NewDB(b, opencart.Family40, "oc_")
	start := time.Now()
	for done := 0; done < n; done += 2000 {
		bulkOrders(db, min(2000, n-done))
	}
	b.Logf("%d orders generated in %s", n, time.Since(start).Round(time.Millisecond))
	return profileWithShop(b, db)
}

// BenchmarkOrdersGridFirstPaint opens the real window content (as the
// app's window does: profile, backend over MariaDB, views.Create) on the
// Orders tab with Fyne's headless driver, on shops of 1,000, 10,000 and
// 100,000 orders (OCX_BENCH_SIZES), five times per iteration, and reports
// the medians of:
//
//	built-ms        profile opened and every screen built and laid out
//	rows-ms         until the grid's cells show the newest order and the
//	                count label the number of orders
//	paint-ms        one paint of the whole window (software painter)
//	first-paint-ms  rows-ms + paint-ms
//	live-heap-MB    Go heap the open window holds (after a GC)
//	alloc-MB        bytes allocated until the first paint
//	RSS-growth-MB   growth of this process's resident memory (an upper
//	                bound: the heap left by generating the shop is reused)
//	scroll-ms       a scroll to row 50 (rows already read, so no reads)
//	                until the cells show it; scroll-paint-ms its paint
//	jump-middle-ms  a jump to the middle of the list until its rows show
//
//	go test -tags ci -run '^$' -bench OrdersGridFirstPaint -benchtime 1x ./app
func BenchmarkOrdersGridFirstPaint(b *testing.B) {
	const opens = 5
	b.Setenv(TabEnv, views.TabOrders)
	a := test.NewTempApp(b)
	for _, n := range benchSizes(b, 1000, 10000, 100000) {
		if n < 200 {
			b.Fatalf("the grid benchmark needs shops of 200 orders or more (it scrolls to row 50 and to the middle), not %d", n)
		}
		dir := shopOfOrders(b, n)
		// Once untimed: Fyne's fonts, theme and glyph caches are then warm
		// for every size alike (the real binary's cold start is measured
		// by BenchmarkWindowLaunch).
		openOrdersGrid(b, a, dir, n).close()
		b.Run(fmt.Sprintf("%d orders", n), func(b *testing.B) {
			figures := map[string][]float64{}
			add := func(unit string, v float64) { figures[unit] = append(figures[unit], v) }
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			for b.Loop() {
				for range opens {
					// Let the last window's reads end, then start from a
					// collected heap.
					time.Sleep(200 * time.Millisecond)
					runtime.GC()
					var before, after runtime.MemStats
					runtime.ReadMemStats(&before)
					rssBefore := selfRSS(b)

					start := time.Now()
					g := openOrdersGrid(b, a, dir, n)
					rows := time.Since(start)
					views.Sync(func() { g.w.Canvas().Capture() })
					painted := time.Since(start)

					rssAfter := selfRSS(b)
					runtime.ReadMemStats(&after)
					alloc := after.TotalAlloc - before.TotalAlloc
					runtime.GC()
					runtime.ReadMemStats(&after)

					scroll, scrollPaint := g.scrollWithinFirstPage()
					jump := g.jumpTo(n / 2)
					g.close()

					add("built-ms", ms(g.built.Sub(start)))
					add("rows-ms", ms(rows))
					add("paint-ms", ms(painted-rows))
					add("first-paint-ms", ms(painted))
					add("live-heap-MB", mb(int64(after.HeapAlloc)-int64(before.HeapAlloc)))
					add("alloc-MB", mb(int64(alloc)))
					add("RSS-growth-MB", mb(rssAfter-rssBefore))
					add("scroll-ms", ms(scroll))
					add("scroll-paint-ms", ms(scrollPaint))
					add("jump-middle-ms", ms(jump))
				}
			}
			for unit, vs := range figures {
				b.ReportMetric(median(vs), unit)
			}
			b.Logf("first-paint-ms: %v", figures["first-paint-ms"])
		})
	}
}

// median is the middle value (the mean of the two middle ones).
func median(vs []float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// ordersGrid is the window content on the Orders tab of a shop of n
// orders.
type ordersGrid struct {
	b            testing.TB
	w            fyne.Window
	p            *Profile
	n            int
	closeBackend func()
	// built is when the content was built and in the window, before any
	// of its reads from the shop had to be back.
	built time.Time
}

// openOrdersGrid builds the window content on profile dir the way
// runWindow does and waits until the grid's cells show the newest order
// (n) and the count says n orders.
func openOrdersGrid(b testing.TB, a fyne.App, dir string, n int) *ordersGrid {
	b.Helper()
	ctx := context.Background()
	p, err := OpenProfile(ctx, dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		b.Fatal(err)
	}
	g := &ordersGrid{b: b, p: p, n: n, w: a.NewWindow("OpenCart → Xero")}
	views.Sync(func() {
		var content fyne.CanvasObject
		content, g.closeBackend, err = windowContent(ctx, a, g.w, p, windowOptions{})
		if err == nil {
			g.w.SetContent(content)
			g.w.Resize(views.DefaultSize)
			g.w.Show()
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	g.built = time.Now()
	g.waitFor(fmt.Sprintf("order %d in the first row and the count", n), func() bool {
		return g.shows(strconv.Itoa(n)) && g.shows(strconv.Itoa(n)+" orders")
	})
	return g
}

// shows reports whether a visible label of the window reads text, numbers
// with or without thousands separators (100000, 100,000): a grid cell only
// once the table has drawn it.
func (g *ordersGrid) shows(text string) bool {
	found := false
	views.Sync(func() {
		for _, o := range visibleObjects(nil, g.w.Canvas().Content()) {
			if l, ok := o.(*widget.Label); ok && strings.ReplaceAll(l.Text, ",", "") == text {
				found = true
				return
			}
		}
	})
	return found
}

// waitFor polls cond every millisecond, at most 60 s.
func (g *ordersGrid) waitFor(what string, cond func() bool) {
	g.b.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			g.b.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// table is the grid on the Orders tab.
func (g *ordersGrid) table() *widget.Table {
	var tbl *widget.Table
	views.Sync(func() {
		for _, o := range visibleObjects(nil, g.w.Canvas().Content()) {
			if t, ok := o.(*widget.Table); ok {
				tbl = t
			}
		}
	})
	if tbl == nil {
		g.b.Fatal("no grid on the Orders tab")
	}
	return tbl
}

// scrollWithinFirstPage scrolls to row 50, whose page is in memory, and
// paints: how long the grid takes to update its cells, and the paint.
func (g *ordersGrid) scrollWithinFirstPage() (update, paint time.Duration) {
	tbl := g.table()
	want := strconv.Itoa(g.n - 50)
	start := time.Now()
	views.Sync(func() { tbl.ScrollTo(widget.TableCellID{Row: 50, Col: 1}) })
	update = time.Since(start)
	if !g.shows(want) {
		g.b.Fatalf("after scrolling to row 50 the grid does not show order %s", want)
	}
	start = time.Now()
	views.Sync(func() { g.w.Canvas().Capture() })
	return update, time.Since(start)
}

// jumpTo scrolls the grid so that order `order` is on screen and returns
// how long until its cell shows it.
func (g *ordersGrid) jumpTo(order int) time.Duration {
	tbl := g.table()
	start := time.Now()
	// Newest first: order k is on row n-k.
	views.Sync(func() { tbl.ScrollTo(widget.TableCellID{Row: g.n - order, Col: 1}) })
	g.waitFor(fmt.Sprintf("order %d after the jump", order), func() bool { return g.shows(strconv.Itoa(order)) })
	return time.Since(start)
}

// close closes the window, the shop connection and the profile.
func (g *ordersGrid) close() {
	views.Sync(g.w.Close)
	g.closeBackend()
	g.p.Close()
}

// selfRSS is this process's resident memory in bytes (VmRSS).
func selfRSS(b testing.TB) int64 {
	kb, err := statusKB("/proc/self/status", "VmRSS")
	if err != nil {
		b.Fatal(err)
	}
	return kb * 1024
}

// statusKB reads a "Name:   123 kB" line of a /proc/PID/status file.
func statusKB(path, name string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && k == name {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("%s: no %s line", path, name)
}

func mb(bytes int64) float64 { return float64(bytes) / (1 << 20) }

// BenchmarkWindowLaunch starts the real GUI binary (cgo, GLFW) under Xvfb
// with scripts/guibench.sh, five times each: on a fresh profile (the
// guided set-up) and on a profile pointing at a shop of 100,000 orders
// (OCX_BENCH_SIZES; the window opens on the Orders tab), and reports
// launch → window mapped, launch → screen settled, and the process's
// resident memory then. The binary is built from this tree like make
// build does (cgo), unless $OPENCART_XERO_BIN names one. Needs
// scripts/deps.sh gui (GL headers, Xvfb, xwininfo, ImageMagick).
//
//	go test -tags ci -run '^$' -bench WindowLaunch -benchtime 1x ./app
func BenchmarkWindowLaunch(b *testing.B) {
	bin := os.Getenv("OPENCART_XERO_BIN")
	if bin == "" {
		bin = filepath.Join(b.TempDir(), "opencart-xero")
		build := exec.Command("go", "build", "-o", bin, "..")
		build.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := build.CombinedOutput(); err != nil {
			b.Fatalf("building the GUI binary (cgo; scripts/deps.sh build installs what it needs): %v\n%s", err, out)
		}
	}
	bin, err := filepath.Abs(bin)
	if err != nil {
		b.Fatal(err)
	}
	b.Setenv(SecretsEnv, "file")
	profiles := []struct{ name, dir string }{{"first run", ""}}
	for _, n := range benchSizes(b, 100000) {
		profiles = append(profiles, struct{ name, dir string }{fmt.Sprintf("%d orders", n), shopOfOrders(b, n)})
	}
	for _, pr := range profiles {
		b.Run(pr.name, func(b *testing.B) {
			for b.Loop() {
				args := []string{bin, "--runs", "5"}
				if pr.dir != "" {
					args = append(args, "--profile", pr.dir)
				}
				cmd := exec.Command("../scripts/guibench.sh", args...)
				out, err := cmd.Output()
				if err != nil {
					var stderr string
					if ee, ok := err.(*exec.ExitError); ok {
						stderr = string(ee.Stderr)
					}
					b.Fatalf("scripts/guibench.sh: %v\n%s%s", err, out, stderr)
				}
				b.Logf("%s", out)
				for _, metric := range []string{"mapped-ms-median", "mapped-ms-max", "settled-ms-median", "rss-mapped-MB-median", "rss-settled-MB-median", "hwm-settled-MB-median"} {
					v, ok := scriptFigure(string(out), metric)
					if !ok {
						b.Fatalf("scripts/guibench.sh printed no %s:\n%s", metric, out)
					}
					b.ReportMetric(v, metric)
				}
			}
		})
	}
}

// scriptFigure reads a "name value" line of guibench.sh's summary.
func scriptFigure(out, name string) (float64, bool) {
	for line := range strings.SplitSeq(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == name {
			v, err := strconv.ParseFloat(f[1], 64)
			return v, err == nil
		}
	}
	return 0, false
}
