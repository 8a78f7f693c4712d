// Command chart draws the bench module's results as a PNG: one panel of
// horizontal bars per scenario, each peer's median time per operation,
// fastest on top, kaito highlighted and the hand-written baselines in grey.
//
//	go run ./cmd/chart -in results.txt -out bench.png
package main

import (
	"flag"
	"fmt"
	"image/color"
	"log"
	"os"
	"slices"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/kaito-go/kaito/bench"
	"github.com/kaito-go/kaito/bench/internal/results"
)

var (
	kaitoColor    = color.RGBA{R: 0xe8, G: 0x59, B: 0x0c, A: 0xff} // orange
	baselineColor = color.RGBA{R: 0x6c, G: 0x75, B: 0x7d, A: 0xff} // grey
	peerColor     = color.RGBA{R: 0x9e, G: 0xc5, B: 0xe0, A: 0xff} // light blue
	textColor     = color.RGBA{R: 0x21, G: 0x25, B: 0x29, A: 0xff}
)

const (
	width     = 10 * vg.Inch
	header    = 0.95 * vg.Inch
	perBar    = 0.26 * vg.Inch
	panelTrim = 0.95 * vg.Inch // title, axis and padding of a panel
)

func main() {
	in := flag.String("in", "results.txt", "go test -bench output")
	out := flag.String("out", "bench.png", "PNG to write")
	flag.Parse()
	log.SetFlags(0)
	plot.DefaultFont.Variant = "Sans"

	set, err := results.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	var panels []*plot.Plot
	var heights []vg.Length
	runs := 0
	for _, s := range bench.Scenarios {
		peers := set.Peers(s.Name())
		if len(peers) == 0 {
			continue
		}
		p, n, err := panel(set, s, peers)
		if err != nil {
			log.Fatal(err)
		}
		runs = max(runs, n)
		panels = append(panels, p)
		heights = append(heights, panelTrim+vg.Length(len(peers))*perBar)
	}
	total := header
	for _, h := range heights {
		total += h
	}

	img := vgimg.NewWith(vgimg.UseWH(width, total), vgimg.UseDPI(110), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)

	// The header: what is drawn, and the colour key.
	title := text.Style{Color: textColor, Font: font.From(plot.DefaultFont, 15), XAlign: draw.XLeft, YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
	title.Font.Weight = xfont.WeightBold
	sub := text.Style{Color: textColor, Font: font.From(plot.DefaultFont, 10.5), XAlign: draw.XLeft, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	left := 0.25 * vg.Inch
	top := total - 0.15*vg.Inch
	dc.FillText(title, vg.Point{X: left, Y: top}, "kaito and its peers, in-process: time per operation (lower is better)")
	keyY := top - 0.45*vg.Inch
	x := left
	for _, k := range []struct {
		c     color.Color
		label string
	}{
		{kaitoColor, "kaito (net/http and fasthttp adapters)"},
		{baselineColor, "hand-written baseline"},
		{peerColor, "other routers and frameworks"},
	} {
		dc.SetColor(k.c)
		dc.Fill(rect(x, keyY-5, x+12, keyY+7))
		x += 17
		dc.FillText(sub, vg.Point{X: x, Y: keyY}, k.label)
		x += sub.Width(k.label) + 0.3*vg.Inch
	}
	note := fmt.Sprintf("Median of %d runs of go test -bench; each panel has its own scale. CPU: %s.", runs, set.Config["cpu"])
	dc.FillText(sub, vg.Point{X: left, Y: keyY - 0.25*vg.Inch}, note)

	y := total - header
	for i, p := range panels {
		c := draw.Canvas{Canvas: img, Rectangle: vg.Rectangle{Min: vg.Point{X: 0, Y: y - heights[i]}, Max: vg.Point{X: width, Y: y}}}
		p.Draw(draw.Crop(c, 0.1*vg.Inch, -0.25*vg.Inch, 0.05*vg.Inch, -0.1*vg.Inch))
		y -= heights[i]
	}

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func rect(x0, y0, x1, y1 vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: x0, Y: y0})
	p.Line(vg.Point{X: x1, Y: y0})
	p.Line(vg.Point{X: x1, Y: y1})
	p.Line(vg.Point{X: x0, Y: y1})
	p.Close()
	return p
}

// panel draws one scenario: a bar per peer, the slowest at the bottom.
func panel(set *results.Set, s bench.Scenario, peers []string) (*plot.Plot, int, error) {
	type row struct {
		peer string
		t    float64 // ns
	}
	var rows []row
	runs := 0
	for _, name := range peers {
		st, ok := set.Stat(s.Name(), name, results.NsPerOp)
		if !ok {
			continue
		}
		runs = max(runs, st.N)
		rows = append(rows, row{name, st.Median * 1e9})
	}
	slices.SortFunc(rows, func(a, b row) int {
		switch {
		case a.t > b.t:
			return -1
		case a.t < b.t:
			return 1
		}
		return 0
	})
	unit, scale := "ns", 1.0
	if rows[0].t >= 20000 {
		unit, scale = "µs", 1000
	}

	p := plot.New()
	p.Title.Text = s.Title()
	p.Title.TextStyle.Font.Size = 12
	p.Title.TextStyle.Font.Weight = xfont.WeightBold
	p.Title.Padding = 4
	p.X.Label.Text = unit + "/op"
	p.X.Label.TextStyle.Font.Size = 9
	p.X.Tick.Label.Font.Size = 9
	p.Y.Tick.Label.Font.Size = 10
	p.X.Min = 0
	p.X.Max = rows[0].t / scale * 1.16
	p.X.Tick.Marker = plainTicks{}
	grid := plotter.NewGrid()
	grid.Horizontal.Width = 0
	p.Add(grid)

	names := make([]string, len(rows))
	var xys plotter.XYs
	var labels []string
	var styles []text.Style
	for i, r := range rows {
		pr, _ := bench.PeerByName(r.peer)
		name, c := r.peer, peerColor
		switch {
		case strings.HasPrefix(r.peer, "kaito"):
			c = kaitoColor
		case pr.Baseline:
			name += " (hand-written)"
			c = baselineColor
		}
		names[i] = name
		bar, err := plotter.NewBarChart(plotter.Values{r.t / scale}, perBar*0.72)
		if err != nil {
			return nil, 0, err
		}
		bar.Horizontal = true
		bar.XMin = float64(i)
		bar.Color = c
		bar.LineStyle.Width = 0
		p.Add(bar)

		xys = append(xys, plotter.XY{X: r.t / scale, Y: float64(i)})
		if unit == "µs" {
			labels = append(labels, fmt.Sprintf("%.1f µs", r.t/1000))
		} else {
			labels = append(labels, fmt.Sprintf("%.0f ns", r.t))
		}
		st := text.Style{Color: textColor, Font: font.From(plot.DefaultFont, 9), XAlign: draw.XLeft, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
		if strings.HasPrefix(r.peer, "kaito") {
			st.Color = kaitoColor
			st.Font.Weight = xfont.WeightBold
		}
		styles = append(styles, st)
	}
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, 0, err
	}
	lab.TextStyle = styles
	lab.Offset = vg.Point{X: 4}
	p.Add(lab)

	// Peer names label the bars.
	p.NominalY(names...)
	p.Y.Padding = 2
	return p, runs, nil
}

// plainTicks are plot.DefaultTicks with labels such as 2500 rather than 2500.00.
type plainTicks struct{}

func (plainTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'f', -1, 64)
		}
	}
	return ticks
}
