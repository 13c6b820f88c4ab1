// Package hardware holds the guest-identifying devices (ID-01…ID-05): webcam
// QR scanning (a frame source, the gozxing decoder and a decode worker),
// serial readers (barcode, magnetic stripe, 125 kHz RFID) through
// go.bug.st/serial, USB keyboard-wedge scanners, the parsers of what they
// send (barcodes, magstripe tracks, EM-Marine ids, IronLogic lines), and the
// till's confirmation sound.
//
// Every device emits one kind of event, Scan, through a Sink. The package
// knows nothing of clients: the till matches a scan's Value (then its Alt
// values) to a client through package app. It never imports app, Fyne or a
// database.
package hardware
