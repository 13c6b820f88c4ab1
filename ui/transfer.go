package ui

import (
	"loyaltydesk/app"
)

// TransferService is what the import and export dialogs need (CL-17, CL-18).
// Its methods come with the transfer work.
type TransferService interface{}

// showExport opens the export dialog for the clients q selects (the current
// text, filter and sort, or the checked IDs), writing the given column keys in
// order (CL-17).
func (u *UI) showExport(q app.ClientQuery, columns []string) {
	_ = q
	_ = columns
}

// showImport opens the import dialog; done is called after a successful import
// so the list can reload (CL-18).
func (u *UI) showImport(done func()) {
	_ = done
}
