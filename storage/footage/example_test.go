package footage_test

import (
	"context"
	"fmt"
	"log/slog"

	"nightjar/storage/catalog"
	"nightjar/storage/footage"
	"nightjar/storage/recording"
)

// A player gets one URL per segment; the app hands them to mpv as the
// pieces of an edl:// timeline.
func ExampleStart() {
	var (
		db    *catalog.DB      // the open catalogue
		store *recording.Store // the recordings of that catalogue
	)
	srv, err := footage.Start(context.Background(), footage.Config{Store: store, DB: db, Log: slog.Default()})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	defer srv.Close()
	rows, err := db.Segments(catalog.SegmentFilter{CameraID: "cam1"})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	for _, row := range rows {
		if row.State == catalog.SegmentDamaged {
			continue // the server answers 410 Gone; the timeline shows a notice
		}
		fmt.Println(srv.URL(row), row.Duration)
	}
}
