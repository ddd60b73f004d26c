package views

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// TestThemeIsLegible computes, in both variants, the contrast of disabled
// text and of the success colour (the ✓) against the background, a
// disabled button and a table's header; each must reach 3:1. Fyne's own
// dark theme does not (which is why Look exists): that is checked too, so
// the figures are known to be computed, not assumed.
func TestThemeIsLegible(t *testing.T) {
	over := func(th fyne.Theme, v fyne.ThemeVariant, fg fyne.ThemeColorName) map[string]float64 {
		bg := th.Color(theme.ColorNameBackground, v)
		out := map[string]float64{}
		for _, under := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameDisabledButton, theme.ColorNameHeaderBackground} {
			c := flatten(th.Color(under, v), bg)
			out[string(under)] = contrast(flatten(th.Color(fg, v), c), c)
		}
		return out
	}
	for _, v := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		for _, fg := range []fyne.ThemeColorName{theme.ColorNameDisabled, theme.ColorNameSuccess, theme.ColorNameForeground} {
			for under, ratio := range over(Look(), v, fg) {
				if ratio < 3 {
					t.Errorf("variant %d: %s on %s has contrast %.2f:1, want at least 3:1", v, fg, under, ratio)
				}
			}
		}
	}
	if r := over(theme.DefaultTheme(), theme.VariantDark, theme.ColorNameDisabled)[string(theme.ColorNameDisabledButton)]; r >= 3 {
		t.Errorf("Fyne's dark disabled text on a disabled button computes %.2f:1; the contrast is not computed as it should be", r)
	}
	if r := contrast(color.White, color.Black); r < 20.9 || r > 21.1 {
		t.Errorf("white on black computes %.2f:1, want 21:1", r)
	}
}

// flatten draws c over an opaque background bg.
func flatten(c, bg color.Color) color.Color {
	f := color.NRGBAModel.Convert(c).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(f.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(float64(x)*a + float64(y)*(1-a) + 0.5) }
	return color.NRGBA{R: mix(f.R, b.R), G: mix(f.G, b.G), B: mix(f.B, b.B), A: 0xff}
}
