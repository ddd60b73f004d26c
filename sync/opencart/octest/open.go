package octest

// Named gives the database a fixed name instead of a random one, for a
// shop that lives as long as its server rather than one test (the demo
// shop served in memory by demo/cmd/demostore).
func Named(name string) Option { return func(d *DB) { d.Name = name } }
