package opencart

import (
	"context"
	"database/sql"
	"strings"
)

// nameUploads gives file-upload options the uploaded file's name: OpenCart
// stores the upload's 40-character code as the option's value and the
// name the customer's file had in the upload table
// (catalog/model/tool/upload.php, the same columns in 3.0 and 4.x). An
// upload whose row is gone keeps its code as the value. One query per
// page, and none when the page has no file option.
func (r *Reader) nameUploads(ctx context.Context, orders []Order) error {
	var codes []any
	seen := map[string]bool{}
	for i := range orders {
		for j := range orders[i].Products {
			for k := range orders[i].Products[j].Options {
				op := &orders[i].Products[j].Options[k]
				if op.Type != "file" || strings.TrimSpace(op.Value) == "" {
					continue
				}
				op.UploadCode = op.Value
				if !seen[op.Value] {
					seen[op.Value] = true
					codes = append(codes, op.Value)
				}
			}
		}
	}
	if len(codes) == 0 || !r.schema.HasTable("upload") {
		return nil
	}
	names := map[string]string{}
	q := "SELECT u.`code`, u.`name` FROM " + r.t("upload") + " u WHERE u.`code` IN (" +
		strings.TrimSuffix(strings.Repeat("?,", len(codes)), ",") + ")"
	err := r.each(ctx, q, codes, func(rows *sql.Rows) error {
		var code, name string
		if err := rows.Scan(rawOf{&code}, textOf{&name}); err != nil {
			return err
		}
		if strings.TrimSpace(name) != "" {
			names[code] = name
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := range orders {
		for j := range orders[i].Products {
			for k := range orders[i].Products[j].Options {
				op := &orders[i].Products[j].Options[k]
				if name, ok := names[op.UploadCode]; ok && op.UploadCode != "" {
					op.Value = name
				}
			}
		}
	}
	return nil
}
