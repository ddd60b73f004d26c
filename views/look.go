package views

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Look is the window's theme: Fyne's own, with the colours that were too
// faint to read made legible in both variants. Disabled text (a button that
// cannot be pressed yet, its label still worth reading) and the success
// colour (a ✓) keep at least 3:1 against the background and a disabled
// button, WCAG's figure for text that must be seen.
func Look() fyne.Theme { return look{theme.DefaultTheme()} }

type look struct{ fyne.Theme }

// Colours chosen for 3:1 or more (TestThemeIsLegible computes them).
var (
	lookDarkDisabled  = color.NRGBA{R: 0x9a, G: 0x9a, B: 0x9e, A: 0xff}
	lookDarkSuccess   = color.NRGBA{R: 0x5c, G: 0xd6, B: 0x7a, A: 0xff}
	lookLightDisabled = color.NRGBA{R: 0x6e, G: 0x6e, B: 0x73, A: 0xff}
	lookLightSuccess  = color.NRGBA{R: 0x1b, G: 0x7a, B: 0x36, A: 0xff}
)

func (l look) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	dark := v == theme.VariantDark
	switch name {
	case theme.ColorNameDisabled:
		if dark {
			return lookDarkDisabled
		}
		return lookLightDisabled
	case theme.ColorNameSuccess:
		if dark {
			return lookDarkSuccess
		}
		return lookLightSuccess
	}
	return l.Theme.Color(name, v)
}

// contrast is the WCAG 2 contrast ratio of two colours (1 to 21), each
// taken as drawn over the other's opaque background.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is a colour's relative luminance (WCAG 2).
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}
