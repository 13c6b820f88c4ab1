// Package ui holds LoyaltyDesk's Fyne screens. Screens call the use cases in
// package app through the small interfaces declared here; they never touch the
// database. Work that may block (every use case call) runs off the UI goroutine
// and comes back through fyne.Do.
package ui
