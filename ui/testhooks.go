package ui

// SetUILoop makes post, instead of fyne.Do, deliver work to the UI
// goroutine; nil restores fyne.Do. It is for tests of other packages that
// run their own UI loop on the test goroutine (see ui/uitest): Fyne's test
// driver runs fyne.Do on whichever goroutine calls it.
func SetUILoop(post func(func())) {
	if post == nil {
		uiHook.Store(nil)
		return
	}
	uiHook.Store(&post)
}
