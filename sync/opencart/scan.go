package opencart

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The scanners below accept NULL (4.1 columns are nullable) as the zero
// value, so one query serves every version family.

// textOf scans a text column and decodes it once (see DecodeText).
type textOf struct{ p *string }

func (s textOf) Scan(v any) error {
	raw, err := rawText(v)
	*s.p = DecodeText(raw)
	return err
}

// rawOf scans a text column as stored (for JSON columns, decoded later).
type rawOf struct{ p *string }

func (s rawOf) Scan(v any) error {
	raw, err := rawText(v)
	*s.p = raw
	return err
}

func rawText(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case []byte:
		return string(x), nil
	case string:
		return x, nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	default:
		return "", fmt.Errorf("unexpected %T for a text column", v)
	}
}

// intOf scans an integer column; text such as a char(1) decimal_place is
// parsed, and empty text is 0.
type intOf struct{ p *int }

func (s intOf) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*s.p = 0
	case int64:
		*s.p = int(x)
	case []byte, string:
		t, _ := rawText(x)
		t = strings.TrimSpace(t)
		if t == "" {
			*s.p = 0
			return nil
		}
		n, err := strconv.Atoi(t)
		if err != nil {
			return fmt.Errorf("integer column holds %q", t)
		}
		*s.p = n
	default:
		return fmt.Errorf("unexpected %T for an integer column", v)
	}
	return nil
}

// boolOf scans a tinyint(1) flag.
type boolOf struct{ p *bool }

func (s boolOf) Scan(v any) error {
	var n int
	err := intOf{&n}.Scan(v)
	*s.p = n != 0
	return err
}

// decimalOf scans a DECIMAL column from its exact text. A float would mean
// a lossy path, so it is refused rather than converted.
type decimalOf struct{ p *decimal.Decimal }

func (s decimalOf) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*s.p = decimal.Zero
		return nil
	case int64:
		*s.p = decimal.NewFromInt(x)
		return nil
	case []byte, string:
		t, _ := rawText(x)
		d, err := decimal.NewFromString(strings.TrimSpace(t))
		if err != nil {
			return fmt.Errorf("decimal column holds %q", t)
		}
		*s.p = d
		return nil
	default:
		return fmt.Errorf("unexpected %T for a money column (expected exact decimal text)", v)
	}
}

// timeOf scans a DATE or DATETIME; NULL and OpenCart's '0000-00-00' give the
// zero time. Values are the stored wall-clock time, labelled UTC.
type timeOf struct{ p *time.Time }

func (s timeOf) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*s.p = time.Time{}
	case time.Time:
		*s.p = x
	case []byte, string:
		t, _ := rawText(x)
		if t == "" || strings.HasPrefix(t, "0000-00-00") {
			*s.p = time.Time{}
			return nil
		}
		layout := time.DateTime
		if len(t) == len(time.DateOnly) {
			layout = time.DateOnly
		}
		pt, err := time.Parse(layout, t)
		if err != nil {
			return fmt.Errorf("date column holds %q", t)
		}
		*s.p = pt
	default:
		return fmt.Errorf("unexpected %T for a date column", v)
	}
	return nil
}
