// Package db is LoyaltyDesk's SQLite store. It implements the interfaces the app
// package declares (app.Store, app.Tx) over github.com/mattn/go-sqlite3.
//
// The database runs in WAL mode with foreign keys on, a busy timeout and
// synchronous=FULL (the ledger must survive a power cut). One connection
// writes; a small pool reads. The schema is a set of embedded, numbered SQL
// migrations applied at Open; a database whose schema is newer than this
// program knows is refused rather than touched.
package db
