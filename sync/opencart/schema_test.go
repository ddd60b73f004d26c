package opencart

import (
	"testing"
)

// TestSchemaIgnoresHostileTableNames: the server lists table names; names
// shorter than the prefix, without it, or cut inside a character never
// panic and never count as the shop's tables.
func TestSchemaIgnoresHostileTableNames(t *testing.T) {
	for _, tc := range []struct {
		prefix, table, wantTable string // wantTable "" = ignored
	}{
		{"oc_", "oc_order", "order"},
		{"oc_", "OC_order", "order"},
		{"", "order", "order"},
		{"oc_", "", ""},
		{"oc_", "o", ""},
		{"oc_", "oc_", ""},
		{"oc_", "xx_order", ""},
		{"shop_2024_", "shop", ""},
		{"é_", "é", ""},
		{"é_", "\xc3", ""},
		{"oc_", "oc\xff", ""},
	} {
		t.Run(tc.prefix+"|"+tc.table, func(t *testing.T) {
			s := Schema{Prefix: tc.prefix, columns: map[string]map[string]bool{}}
			s.noteColumn(tc.table, "order_id")
			var got []string
			for table := range s.columns {
				got = append(got, table)
			}
			switch {
			case tc.wantTable == "" && len(got) != 0:
				t.Errorf("noted %q, want nothing", got)
			case tc.wantTable != "" && !s.HasColumn(tc.wantTable, "order_id"):
				t.Errorf("noted %q, want %q", got, tc.wantTable)
			}
		})
	}
}
