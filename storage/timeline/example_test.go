package timeline_test

import (
	"fmt"
	"time"

	"nightjar/storage/timeline"
)

// A local day's bounds: the days Berlin's clocks change are 23 and 25
// hours long.
func ExampleDay() {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range []int{28, 29} {
		from, to := timeline.Day(2026, time.March, d, loc)
		fmt.Println(from.Format("2006-01-02 MST"), to.Sub(from))
	}
	from, to := timeline.Day(2026, time.October, 25, loc)
	fmt.Println(from.Format("2006-01-02 MST"), to.Sub(from))
	// Output:
	// 2026-03-28 CET 24h0m0s
	// 2026-03-29 CET 23h0m0s
	// 2026-10-25 CEST 25h0m0s
}
