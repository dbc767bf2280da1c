package ui

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	runInline = true
	os.Exit(m.Run())
}
