package opencart_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

func TestParseConfigPHP(t *testing.T) {
	cases := []struct {
		file string
		want opencart.ConfigPHP
	}{
		{"opencart3.php", opencart.ConfigPHP{Hostname: "localhost", Port: 3306, Username: "shop_user", Password: `It's a \secret`, Database: "shop_db", Prefix: "oc_"}},
		{"opencart4.php", opencart.ConfigPHP{Hostname: "127.0.0.1", Port: 3307, Username: "u123_oc", Password: `pa"ss$word`, Database: "u123_oc", Prefix: "ocx_"}},
		{"admin-spacing.php", opencart.ConfigPHP{Hostname: "db.internal", Username: "admin", Database: "shop",
			Notes: []string{"DB_PASSWORD is built with PHP code (getenv ( …); enter it by hand"}}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "configphp", c.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := opencart.ParseConfigPHP(src)
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Errorf("ParseConfigPHP =\n%+v, %v\nwant\n%+v", got, err, c.want)
			}
		})
	}
}

func TestParseConfigPHPRefuses(t *testing.T) {
	cases := map[string]string{
		"empty":            "",
		"not PHP":          "define('DB_DATABASE', 'shop');",
		"only comments":    "<?php // define('DB_DATABASE', 'shop');",
		"variable":         `<?php define('DB_DATABASE', "$db");`,
		"unterminated":     "<?php define('DB_DATABASE', 'shop",
		"other constants":  "<?php define('HTTP_SERVER', 'x');",
		"port not a port":  "<?php define('DB_PORT', '99999');",
		"concatenated":     "<?php define('DB_DATABASE', 'a' . 'b');",
		"html after close": "<?php ?> define('DB_DATABASE', 'shop');",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			if c, err := opencart.ParseConfigPHP([]byte(src)); err == nil {
				t.Errorf("ParseConfigPHP(%q) = %+v, want an error", src, c)
			}
		})
	}
}

// phpQuote writes s as a single-quoted PHP string.
func phpQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// FuzzParseConfigPHP: the parser never panics, and whatever it reads
// written back as plain defines reads the same.
func FuzzParseConfigPHP(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "configphp", "*.php"))
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := opencart.ParseConfigPHP(src)
		if err != nil {
			return
		}
		var b strings.Builder
		b.WriteString("<?php\n")
		for _, kv := range [][2]string{{"DB_HOSTNAME", c.Hostname}, {"DB_USERNAME", c.Username}, {"DB_PASSWORD", c.Password},
			{"DB_DATABASE", c.Database}, {"DB_PREFIX", c.Prefix}} {
			b.WriteString("define(" + phpQuote(kv[0]) + ", " + phpQuote(kv[1]) + ");\n")
		}
		if c.Port != 0 {
			b.WriteString("define('DB_PORT', " + strconv.Itoa(c.Port) + ");\n")
		}
		again, err := opencart.ParseConfigPHP([]byte(b.String()))
		c.Notes = nil
		if err != nil || !reflect.DeepEqual(again, c) {
			t.Fatalf("read %+v; written back and read again: %+v, %v", c, again, err)
		}
	})
}
