package mapping

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	long := strings.Repeat("é", 300)
	tests := []struct {
		name string
		in   string
		f    Field
		want string
	}{
		{"plain", "Jane Smith", ContactNameField, "Jane Smith"},
		{"trim and collapse", "  Jane \t\n  Smith  ", ContactNameField, "Jane Smith"},
		{"decoded ampersand kept", "Fish & Chips Ltd", ContactNameField, "Fish & Chips Ltd"},
		{"literal entity text is not decoded again", "Tom &amp; Jerry", ContactNameField, "Tom &amp; Jerry"},
		{"apostrophe and quotes", `O'Brien "The Shop"`, ContactNameField, `O'Brien "The Shop"`},
		{"angle brackets removed from names", "Test <script>alert(1)</script>", ContactNameField, "Test scriptalert(1)/script"},
		{"angle brackets kept in descriptions", "size < 10", DescriptionField, "size < 10"},
		{"emoji removed", "Cake 🎂 shop 👍🏽", ContactNameField, "Cake shop"},
		{"emoji with variation selector and ZWJ", "Love ❤️ family 👨‍👩‍👧", ContactNameField, "Love ❤ family"},
		{"control characters (NEL is a line break)", "A\x00B\x07C\x1fD\x7fE\u0085F", ContactNameField, "ABCDE F"},
		{"zero width and bidi marks", "Ab\u200bc\u200e\u202eD\ufeff", ContactNameField, "AbcD"},
		{"ligature normalised", "ﬁsh@ﬂower", ContactNameField, "fish@flower"},
		{"full width normalised", "ＡＢＣ１２３", ContactNameField, "ABC123"},
		{"combining accent composed", "Cafe\u0301", ContactNameField, "Café"},
		{"invalid utf-8 dropped", "Bad\xff\xfeName", ContactNameField, "BadName"},
		{"cut by characters not bytes", long, ContactNameField, strings.Repeat("é", 255)},
		{"cut then trailing space trimmed", strings.Repeat("a", 254) + " b", ContactNameField, strings.Repeat("a", 254)},
		{"empty required gets fallback", " \t🎉 ", ContactNameField, "Customer"},
		{"empty optional stays empty", "\x00", PersonNameField, ""},
		{"description keeps lines, collapses blanks", "Size: L\r\n\r\n\r\nColour:  Red \n", DescriptionField, "Size: L\n\nColour: Red"},
		{"description fallback", "", DescriptionField, "-"},
		{"document number printable ascii", "OC-1001 é#", DocNumberField, "OC-1001 #"},
		{"email spaces removed", " jane.doe @example.com ", EmailField, "jane.doe@example.com"},
		{"right-to-left text kept", "שלום עולם", ContactNameField, "שלום עולם"},
		{"private use removed", "A\ue000B", ContactNameField, "AB"},
		{"extension title: img logo keeps its alt text", `<img src="catalog/view/image/payment/paypal.png" alt="PayPal" title="PayPal" style="border: 1px solid #EEEEEE;" /> PayPal Express`, ExtensionTitleField, "PayPal PayPal Express"},
		{"extension title: img alt in single quotes, tag in capitals", `<IMG alt='Klarna' src=x>`, ExtensionTitleField, "Klarna"},
		{"extension title: img without alt leaves nothing", `<img src="logo.png"/>Card`, ExtensionTitleField, "Card"},
		{"extension title: br becomes a space", "Royal Mail<br />Signed For<br>1st Class", ExtensionTitleField, "Royal Mail Signed For 1st Class"},
		{"extension title: inline tags removed", "<b>Free</b> <span style=\"color:red\">Shipping</span>", ExtensionTitleField, "Free Shipping"},
		{"extension title: a quoted > inside a tag", `<img alt="a>b" src=x>Pay`, ExtensionTitleField, "ab Pay"},
		{"extension title: comment removed", "Pay<!-- <b>old</b> -->Pal", ExtensionTitleField, "PayPal"},
		{"extension title: less-than that starts no tag", "Orders < 10kg", ExtensionTitleField, "Orders 10kg"},
		{"extension title: tag never closed", "Flat <b rate", ExtensionTitleField, "Flat b rate"},
		{"extension title: nested brackets cannot form a tag again", "<<b>b>x", ExtensionTitleField, "bx"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Clean(tc.in, tc.f); got != tc.want {
				t.Fatalf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestCleanEmail(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		valid bool
	}{
		{"jane@example.com", "jane@example.com", true},
		{" Jane.Doe+shop@Example.co.uk ", "Jane.Doe+shop@Example.co.uk", true},
		{"ﬁnance@example.com", "finance@example.com", true},
		{"jane@localhost", "jane@localhost", false},
		{"jane", "jane", false},
		{"jané@example.com", "jané@example.com", false},
		{"a@b..com", "a@b..com", false},
		{"<a@b.com>", "<a@b.com>", false},
		{"", "", false},
		{"two@@example.com", "two@@example.com", false},
	}
	for _, tc := range tests {
		got, ok := CleanEmail(tc.in)
		if got != tc.want || ok != tc.valid {
			t.Errorf("CleanEmail(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.valid)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"Jane Smith", "Fish &amp; Chips", "🎂\x00\u200b", strings.Repeat("ß", 400), "a\r\n\nb", "\xff\xfe", "ﬁ<>"} {
		f.Add(s)
	}
	for _, s := range []string{`<img src="a.png" alt="PayPal" /> PayPal`, "A<br />B<br>C", "<<b>b>", "<!-- x -->", `<img alt='x`, "<p>Flat</p><div>Rate</div>"} {
		f.Add(s)
	}
	fields := []Field{ContactNameField, DescriptionField, DocNumberField, EmailField, PersonNameField, HistoryNoteField, ExtensionTitleField}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fl := range fields {
			out := Clean(s, fl)
			if !utf8.ValidString(out) {
				t.Fatalf("%s: invalid UTF-8 %q", fl.Name, out)
			}
			if fl.MaxLen > 0 && utf8.RuneCountInString(out) > fl.MaxLen {
				t.Fatalf("%s: %d runes > %d", fl.Name, utf8.RuneCountInString(out), fl.MaxLen)
			}
			if fl.Fallback != "" && out == "" {
				t.Fatalf("%s: empty required field", fl.Name)
			}
			if out != fl.Fallback && out != strings.TrimSpace(out) {
				t.Fatalf("%s: untrimmed %q", fl.Name, out)
			}
			for _, r := range out {
				if r > 0xFFFF || (unicode.IsControl(r) && !(fl.MultiLine && r == '\n')) || unicode.Is(unicode.Cf, r) {
					t.Fatalf("%s: forbidden rune %U in %q", fl.Name, r, out)
				}
				if (fl.NoAngle || fl.HTML) && (r == '<' || r == '>') {
					t.Fatalf("%s: angle bracket in %q", fl.Name, out)
				}
				if fl.ASCII && (r < 0x20 || r > 0x7e) {
					t.Fatalf("%s: non-printable-ASCII %U in %q", fl.Name, r, out)
				}
			}
			if strings.Contains(out, "  ") || strings.Contains(out, "\n\n\n") {
				t.Fatalf("%s: uncollapsed white space in %q", fl.Name, out)
			}
			// Cleaning is stable: a cleaned text comes back unchanged.
			if again := Clean(out, fl); again != out {
				t.Fatalf("%s: Clean not idempotent: %q -> %q", fl.Name, out, again)
			}
		}
	})
}
