package catalog

import "testing"

func TestLayoutsRoundTrip(t *testing.T) {
	db, dir := openTemp(t)
	if err := db.PutLayout(Layout{Name: "Night", Layout: "3×3", Cameras: []string{"a", "", "b"}}); err != nil {
		t.Fatal(err)
	}
	check(t, db.PutLayout(Layout{Name: "Day", Layout: "2×2", Cameras: []string{"b"}}))
	check(t, db.PutLayout(Layout{Name: "Night", Layout: "1+5", Cameras: []string{"c"}}))
	if err := db.PutLayout(Layout{}); err == nil {
		t.Fatal("unnamed layout saved")
	}
	check(t, db.Close())
	db2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	ls, err := db2.Layouts()
	check(t, err)
	if len(ls) != 2 || ls[0].Name != "Day" || ls[1].Layout != "1+5" || ls[1].Cameras[0] != "c" {
		t.Fatalf("layouts %+v", ls)
	}
	check(t, db2.DeleteLayout("Day"))
	if ls, err := db2.Layouts(); err != nil || len(ls) != 1 {
		t.Fatalf("after delete %+v", ls)
	}
}
