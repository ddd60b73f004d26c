package app

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// dryRunPoint is one measured dry run.
type dryRunPoint struct {
	orders int
	wall   time.Duration
	rssMB  float64
}

// BenchmarkDryRunProcess runs the real program, `export orders --dry-run`,
// as a child process over shops of 1,000, 10,000 and 100,000 orders
// (OCX_BENCH_SIZES, comma-separated), generated beforehand by this process,
// and reports the child's wall time and peak resident memory (getrusage
// ru_maxrss): the dry run's own figures, not the generator's. With
// OCX_WRITE_DOCS=1 it draws docs/dryrun-scaling.png.
func BenchmarkDryRunProcess(b *testing.B) {
	sizes := []int{1000, 10000, 100000}
	if v := os.Getenv("OCX_BENCH_SIZES"); v != "" {
		sizes = sizes[:0]
		for part := range strings.SplitSeq(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(part))
			if err != nil || n <= 0 {
				b.Fatalf("OCX_BENCH_SIZES: %q", part)
			}
			sizes = append(sizes, n)
		}
	}
	bin := buildCLI(b)
	var points []dryRunPoint
	for _, n := range sizes {
		db := octest.NewDB(b, opencart.Family40, "oc_")
		genStart := time.Now()
		dryRunOrders(db, n)
		dir := dryRunProfile(b, db)
		b.Logf("%d orders generated in %s", n, time.Since(genStart).Round(time.Millisecond))
		b.Run(strconv.Itoa(n)+" orders", func(b *testing.B) {
			for b.Loop() {
				cmd := exec.Command(bin, "--profile", dir, "export", "orders", "--dry-run")
				cmd.Env = append(os.Environ(), SecretsEnv+"=file")
				devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
				if err != nil {
					b.Fatal(err)
				}
				cmd.Stdout = devNull
				var stderr strings.Builder
				cmd.Stderr = &stderr
				start := time.Now()
				err = cmd.Run()
				wall := time.Since(start)
				devNull.Close()
				if err != nil {
					b.Fatalf("dry run of %d orders: %v\n%s", n, err, stderr.String())
				}
				rss := float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) / 1024 // KiB on Linux
				b.ReportMetric(wall.Seconds(), "wall-s")
				b.ReportMetric(rss, "peak-RSS-MB")
				b.ReportMetric(float64(n)/wall.Seconds(), "orders/s")
				points = append(points, dryRunPoint{n, wall, rss})
			}
		})
	}
	if os.Getenv("OCX_WRITE_DOCS") == "1" && len(points) > 1 {
		if err := drawScaling("../docs/dryrun-scaling.png", points); err != nil {
			b.Fatal(err)
		}
	}
}

// dryRunOrders adds n guest orders like a real shop's (two products, VAT
// 20% on goods and on flat shipping, a coupon on every fifth), 2,000 per
// statement batch.
func dryRunOrders(db *octest.DB, n int) {
	const chunk = 2000
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	batch := make([]octest.Order, 0, chunk)
	for i := range n {
		o := octest.Order{StatusID: 1 + i%5, FirstName: "Guest", LastName: strconv.Itoa(i % 997), Email: fmt.Sprintf("g%d@example.com", i%997),
			DateAdded:      base.Add(time.Duration(i) * time.Minute),
			PaymentMethod:  octest.Method{Title: "Bank Transfer", Code: "bank_transfer.bank_transfer"},
			ShippingMethod: octest.Method{Title: "Flat Shipping Rate", Code: "flat.flat", Cost: "5.00", TaxClassID: octest.TaxClassGoods},
			Products: []octest.Product{
				{ProductID: 40, Name: "Tea caddy", Model: "T1", Quantity: 2, Price: "12.5000", Tax: "2.5000"},
				{ProductID: 41, Name: "Mug", Model: "M1", Quantity: 1, Price: "7.9900", Tax: "1.5980"},
			},
			Totals: []octest.Total{octest.TotalRow("sub_total", "Sub-Total", "32.9900", 1), octest.TotalRow("shipping", "Flat Shipping Rate", "5.0000", 3),
				octest.TotalRow("tax", "VAT (20%)", "7.5980", 5), octest.TotalRow("total", "Total", "45.5880", 9)},
			Total: "45.5880"}
		batch = append(batch, o)
		if len(batch) == chunk || i == n-1 {
			db.AddOrders(batch...)
			batch = batch[:0]
		}
	}
}

// dryRunProfile is a profile on db with the export choices a dry run
// needs (accounts and the VAT mapping) and no Xero connection.
func dryRunProfile(b *testing.B, db *octest.DB) string {
	dir := profileWithShop(b, db)
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	s := export.DefaultSettings()
	s.InvoiceStatus = mapping.StatusDraft
	s.Accounts = mapping.Accounts{Sales: "200", Shipping: "200", Discounts: "200", VouchersSold: "200", StoreCredit: "200", Fees: "260", Rounding: "860"}
	s.TaxRates = []mapping.TaxMap{{Title: "VAT (20%)", Rate: mustDecimal("20"), Type: "P", TaxType: "OUTPUT2"}}
	if err := SaveExportSettings(context.Background(), p, s); err != nil {
		b.Fatal(err)
	}
	return dir
}

// drawScaling draws wall time (blue) and peak memory (orange) against the
// number of orders (log scale), each on its own axis, with labels.
func drawScaling(path string, points []dryRunPoint) error {
	const w, h, left, right, top, bottom = 640, 360, 70, 80, 40, 50
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	grey, blue, orange := color.RGBA{160, 160, 160, 255}, color.RGBA{31, 119, 180, 255}, color.RGBA{255, 127, 14, 255}
	label := func(x, y int, c color.Color, s string) {
		d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
		d.DrawString(s)
	}
	line := func(x0, y0, x1, y1 int, c color.Color) {
		steps := max(abs(x1-x0), abs(y1-y0), 1)
		for i := 0; i <= steps; i++ {
			x, y := x0+(x1-x0)*i/steps, y0+(y1-y0)*i/steps
			for dx := -1; dx <= 1; dx++ {
				img.Set(x+dx, y, c)
				img.Set(x, y+dx, c)
			}
		}
	}
	minN, maxN := math.Log10(float64(points[0].orders)), math.Log10(float64(points[len(points)-1].orders))
	maxWall, maxRSS := 0.0, 0.0
	for _, p := range points {
		maxWall, maxRSS = math.Max(maxWall, p.wall.Seconds()), math.Max(maxRSS, p.rssMB)
	}
	maxWall, maxRSS = niceCeil(maxWall), niceCeil(maxRSS)
	px := func(n int) int {
		return left + int((math.Log10(float64(n))-minN)/(maxN-minN)*float64(w-left-right))
	}
	py := func(v, top2 float64) int { return h - bottom - int(v/top2*float64(h-top-bottom)) }
	line(left, h-bottom, w-right, h-bottom, grey)
	line(left, top, left, h-bottom, blue)
	line(w-right, top, w-right, h-bottom, orange)
	for _, f := range []float64{0, 0.5, 1} {
		label(8, py(f*maxWall, maxWall)+4, blue, fmt.Sprintf("%.3g s", f*maxWall))
		label(w-right+6, py(f*maxRSS, maxRSS)+4, orange, fmt.Sprintf("%.3g MB", f*maxRSS))
	}
	for i, p := range points {
		x := px(p.orders)
		label(x-20, h-bottom+18, color.Black, strconv.Itoa(p.orders))
		if i > 0 {
			q := points[i-1]
			line(px(q.orders), py(q.wall.Seconds(), maxWall), x, py(p.wall.Seconds(), maxWall), blue)
			line(px(q.orders), py(q.rssMB, maxRSS), x, py(p.rssMB, maxRSS), orange)
		}
	}
	label(left, 20, color.Black, "export orders --dry-run: wall time (blue) and peak RSS (orange)")
	label(w/2-40, h-12, color.Black, "orders (log scale)")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
