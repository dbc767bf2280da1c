// Command nightjar is a privacy-first desktop video management client for IP
// cameras. Everything it does lives in package app.
package main

import (
	"os"

	"nightjar/app"
	_ "nightjar/internal/localefix" // before Fyne reads the locale; see the package
)

func main() {
	os.Exit(app.Main(os.Args[1:]))
}
