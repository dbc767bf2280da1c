package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"nightjar/internal/when"
)

// loadRetention shows every camera's retention and what goes next.
func (p *privacyPage) loadRetention() {
	runAsync(privacyTimeout, p.svc.Retention, func(v RetentionView, err error) {
		if err != nil {
			p.retentionLines.SetText("Could not read the retention: " + err.Error())
			return
		}
		p.view = v
		if v.Recommended > 0 {
			p.recommended.SetText(fmt.Sprintf("Recommended: %s. Regulators' guidance for CCTV is to keep footage a few days; keeping it longer needs a reason.", daysText(v.Recommended)))
		}
		var lines []string
		for _, c := range v.Cameras {
			line := c.Name + ": " + c.Next
			if c.Reason != "" {
				line += " (kept longer because: " + c.Reason + ")"
			}
			lines = append(lines, line)
		}
		if len(lines) == 0 {
			lines = append(lines, "No cameras.")
		}
		p.retentionLines.SetText(strings.Join(lines, "\n"))
		cp := "no cap"
		if v.Cap > 0 {
			cp = "a cap of " + formatGB(v.Cap) + " GB"
		}
		p.limits.SetText(fmt.Sprintf("All footage: %s GB used, %s; the oldest footage also goes when free space falls below the reserve of %s GB.", formatGB(v.Used), cp, formatGB(v.Reserve)))
		p.showKeep()
	})
}

// showKeep fills the retention fields from the chosen camera.
func (p *privacyPage) showKeep() {
	for _, c := range p.view.Cameras {
		if c.Name == p.keepCam.Selected {
			p.keep.SetText(formatRetention(c.Keep))
			p.keepReason.SetText(c.Reason)
			return
		}
	}
}

// saveKeep sets the chosen camera's retention; above the recommendation
// a reason is required.
func (p *privacyPage) saveKeep() {
	id := p.cameraID(p.keepCam.Selected)
	if id == "" {
		p.say("Choose a camera", fmt.Errorf("pick the camera whose retention to set"))
		return
	}
	keep, err := parseRetention(p.keep.Text)
	if err != nil {
		p.say("Retention", err)
		return
	}
	rec := p.view.Recommended
	if rec <= 0 {
		rec = 72 * time.Hour
	}
	reason := strings.TrimSpace(p.keepReason.Text)
	if (keep == 0 || keep > rec) && reason == "" {
		p.say("A reason is needed", fmt.Errorf("keeping footage longer than the recommended %s needs a reason: say why in the Reason field", daysText(rec)))
		return
	}
	runAsync(privacyTimeout, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, p.svc.SetRetention(ctx, id, keep, reason)
	}, func(_ struct{}, err error) {
		if err != nil {
			p.say("Retention not saved", err)
			return
		}
		p.loadRetention()
	})
}

// eraseRequest reads the erase form.
func (p *privacyPage) eraseRequest() (EraseRequest, error) {
	now, loc := p.mw.now(), p.mw.location()
	from, err := parseWhen(p.eraseFrom.Text, now, loc)
	if err != nil {
		return EraseRequest{}, fmt.Errorf("from: %w", err)
	}
	to, err := parseWhen(p.eraseTo.Text, now, loc)
	if err != nil {
		return EraseRequest{}, fmt.Errorf("to: %w", err)
	}
	if !from.Before(to) {
		return EraseRequest{}, fmt.Errorf("the start must come before the end")
	}
	req := EraseRequest{From: from, To: to, Reason: strings.TrimSpace(p.eraseReason.Text)}
	if p.eraseCam.Selected != "All cameras" {
		if req.CameraID = p.cameraID(p.eraseCam.Selected); req.CameraID == "" {
			return EraseRequest{}, fmt.Errorf("choose the cameras to erase")
		}
	}
	return req, nil
}

// planText is the confirmation's list of what goes.
func planText(pl ErasePlan, loc *time.Location) string {
	if pl.Segments == 0 {
		return "There is no footage in this range."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "This destroys %s of footage (%d segments, %s) of %s,\nfrom %s to %s.",
		formatRetentionLong(pl.Duration), pl.Segments, sizeLabel(pl.Bytes), strings.Join(pl.Cameras, ", "),
		pl.From.In(loc).Format("2006-01-02 15:04:05"), pl.To.In(loc).Format("2006-01-02 15:04:05"))
	if len(pl.WholeDays) > 0 {
		fmt.Fprintf(&b, "\nWhole days whose keys are destroyed, so no copy can ever be decrypted: %s.", strings.Join(pl.WholeDays, ", "))
	}
	if len(pl.Bookmarks) > 0 {
		fmt.Fprintf(&b, "\nBookmarks deleted with it: %s.", strings.Join(pl.Bookmarks, "; "))
	}
	if pl.Note != "" {
		b.WriteString("\n" + pl.Note)
	}
	b.WriteString("\nThis cannot be undone.")
	return b.String()
}

func sizeLabel(b int64) string {
	switch {
	case b >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(b)/1e9)
	case b >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(b)/1e6)
	}
	return fmt.Sprintf("%d kB", b/1000)
}

func formatRetentionLong(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return d.String()
	}
	return d.Round(time.Minute).String()
}

// askErase plans the erase, shows what it destroys, and erases once
// confirmed.
func (p *privacyPage) askErase() {
	req, err := p.eraseRequest()
	if err != nil {
		p.say("Erase", err)
		return
	}
	runAsync(privacyTimeout, func(ctx context.Context) (ErasePlan, error) { return p.svc.PlanErase(ctx, req) },
		func(pl ErasePlan, err error) {
			if err != nil {
				p.say("Erase", err)
				return
			}
			text := planText(pl, p.mw.location())
			if pl.Segments == 0 && len(pl.Bookmarks) == 0 {
				dialog.ShowInformation("Nothing to erase", text, p.mw.win)
				return
			}
			d := dialog.NewConfirm("Erase footage now?", text, func(ok bool) {
				if ok {
					p.erase(req)
				}
			}, p.mw.win)
			d.SetConfirmText("Erase")
			d.SetDismissText("Cancel")
			d.SetConfirmImportance(widget.DangerImportance)
			d.Show()
		})
}

func (p *privacyPage) erase(req EraseRequest) {
	runAsync(eraseTimeout, func(ctx context.Context) (EraseReceipt, error) { return p.svc.Erase(ctx, req) },
		func(r EraseReceipt, err error) {
			if err != nil {
				p.say("The erase did not finish", err)
				p.loadReceipts()
				return
			}
			dialog.ShowInformation("Erased", receiptText(r, p.mw.location()), p.mw.win)
			p.loadReceipts()
			p.loadRetention()
		})
}

func receiptText(r EraseReceipt, loc *time.Location) string {
	s := fmt.Sprintf("%s: %s erased %d segment(s), %s, of %s", r.At.In(loc).Format("2006-01-02 15:04"), r.By, r.Segments,
		sizeLabel(r.Bytes), strings.Join(r.Cameras, ", "))
	if !r.From.IsZero() {
		s += fmt.Sprintf(", %s to %s", r.From.In(loc).Format("2006-01-02 15:04"), r.To.In(loc).Format("2006-01-02 15:04"))
	}
	if len(r.ShreddedDays) > 0 {
		s += "; keys destroyed: " + strings.Join(r.ShreddedDays, ", ")
	}
	if len(r.Bookmarks) > 0 {
		s += fmt.Sprintf("; %d bookmark(s) deleted", len(r.Bookmarks))
	}
	if r.Reason != "" {
		s += "; reason: " + r.Reason
	}
	return s + "."
}

// loadReceipts lists the latest erase receipts.
func (p *privacyPage) loadReceipts() {
	runAsync(privacyTimeout, p.svc.Receipts, func(rs []EraseReceipt, err error) {
		if err != nil {
			p.receipts.SetText("Could not read the erasure record: " + err.Error())
			return
		}
		if len(rs) == 0 {
			p.receipts.SetText("Erasure record: nothing erased yet.")
			return
		}
		lines := []string{"Erasure record (newest first):"}
		for i, r := range rs {
			if i == 5 {
				lines = append(lines, fmt.Sprintf("… and %d more ('nightjar erase receipts' lists them all).", len(rs)-5))
				break
			}
			lines = append(lines, receiptText(r, p.mw.location()))
		}
		p.receipts.SetText(strings.Join(lines, "\n"))
	})
}

// daysText is a retention for a sentence: "3 days", "12 hours".
func daysText(d time.Duration) string { return when.Span(d) }
