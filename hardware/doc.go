// Package hardware will hold the guest-identifying devices: serial readers
// (barcode, magnetic stripe, 125 kHz RFID) through go.bug.st/serial, USB
// keyboard-wedge scanners, webcam QR scanning, QR decoding and card formats
// (ID-01…ID-05). It emits identifier events and knows nothing of clients;
// the till matches an event's value to a client through package app.
//
// Nothing is here yet: the Foundation issue only reserves the package.
package hardware
