// Package app holds LoyaltyDesk's domain types and use cases: clients and their
// identifiers, and later the ledger, loyalty rules and the till.
//
// It is plain Go. It never imports Fyne, SQL drivers or hardware packages; it
// declares the interfaces it needs (Store, Clock) and the db, ui and hardware
// packages plug into them.
package app
