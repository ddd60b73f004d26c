package views

import (
	"time"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// copiedFor is how long a copy button says "Copied".
var copiedFor = 2 * time.Second

// copyButton copies text() to the clipboard and says so on the button for
// a moment ("Copied ✓"), then shows its label again.
func copyButton(u *ui, label string, text func() string) *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon(label, theme.ContentCopyIcon(), func() {
		u.app.Clipboard().SetContent(text())
		b.SetText("Copied ✓")
		b.SetIcon(theme.ConfirmIcon())
		time.AfterFunc(copiedFor, func() {
			do(func() {
				b.SetText(label)
				b.SetIcon(theme.ContentCopyIcon())
			})
		})
	})
	return b
}
