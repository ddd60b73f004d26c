package opencart

import (
	"context"
	"sort"
)

// ReturnAction is one of the shop's return actions (what the shop did for
// a returned product: a refund, store credit, a replacement…) and its
// name in the admin language.
type ReturnAction struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// ReturnActions lists the shop's return actions by id.
func (r *Reader) ReturnActions(ctx context.Context) ([]ReturnAction, error) {
	lk, err := r.lookups(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ReturnAction, 0, len(lk.names[nameReturnAction]))
	for id, n := range lk.names[nameReturnAction] {
		out = append(out, ReturnAction{ID: id, Name: n.name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
