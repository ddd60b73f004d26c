package octest

import (
	"database/sql"
	"sort"
	"strings"
)

// row is one record to insert: column name to value. Columns the family's
// table lacks are left out, so one builder serves every family.
type row map[string]any

// inserter gathers rows per table and writes them as multi-row INSERTs.
type inserter struct {
	d    *DB
	exec interface {
		Exec(string, ...any) (sql.Result, error)
	}
	tables map[string]*pending
	order  []string
}

type pending struct {
	cols []string
	rows [][]any
}

// maxArgs bounds one INSERT statement (well under max_allowed_packet).
const maxArgs = 20000

func (d *DB) newInserter(exec interface {
	Exec(string, ...any) (sql.Result, error)
}) *inserter {
	return &inserter{d: d, exec: exec, tables: map[string]*pending{}}
}

func (in *inserter) add(table string, r row) {
	p := in.tables[table]
	if p == nil {
		have := in.d.columns[table]
		if have == nil {
			in.d.t.Fatalf("octest: family %s has no table %q", in.d.Family, table)
		}
		p = &pending{}
		for c := range r {
			if have[c] {
				p.cols = append(p.cols, c)
			}
		}
		sort.Strings(p.cols)
		in.tables[table] = p
		in.order = append(in.order, table)
	}
	vals := make([]any, len(p.cols))
	for i, c := range p.cols {
		v, ok := r[c]
		if !ok {
			in.d.t.Fatalf("octest: row for %s lacks column %s", table, c)
		}
		vals[i] = v
	}
	p.rows = append(p.rows, vals)
	if len(p.rows)*len(p.cols) >= maxArgs {
		in.flushTable(table)
	}
}

func (in *inserter) flushTable(table string) {
	p := in.tables[table]
	if p == nil || len(p.rows) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString("INSERT INTO `" + in.d.Prefix + table + "` (`" + strings.Join(p.cols, "`,`") + "`) VALUES ")
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(p.cols)), ",") + ")"
	args := make([]any, 0, len(p.rows)*len(p.cols))
	for i, vals := range p.rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
		args = append(args, vals...)
	}
	if _, err := in.exec.Exec(b.String(), args...); err != nil {
		in.d.t.Fatalf("octest: inserting into %s: %v", table, err)
	}
	p.rows = p.rows[:0]
}

// flush writes everything still pending, tables in the order first used.
func (in *inserter) flush() {
	for _, t := range in.order {
		in.flushTable(t)
	}
}

// insert writes rows into one table at once.
func (d *DB) insert(table string, rows ...row) {
	in := d.newInserter(d.SQL)
	for _, r := range rows {
		in.add(table, r)
	}
	in.flush()
}

// nextID returns MAX(column)+1 of a table.
func (d *DB) nextID(table, column string) int {
	var n int
	if err := d.SQL.QueryRow("SELECT COALESCE(MAX(`" + column + "`), 0) + 1 FROM `" + d.Prefix + table + "`").Scan(&n); err != nil {
		d.t.Fatalf("octest: %v", err)
	}
	return n
}
