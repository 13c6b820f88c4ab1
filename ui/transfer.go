package ui

// TransferService is what the import and export dialogs need (CL-17, CL-18).
// Its methods come with the transfer work.
type TransferService interface{}
