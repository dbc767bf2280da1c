// Package app is Nightjar's composition root. It parses the command line,
// opens the data directory, builds the services (logging, catalogue,
// keyring, and later devices and players) and hands them to ui, or runs a
// headless subcommand. Services are closed in the reverse order they were
// opened.
package app
