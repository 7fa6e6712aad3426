package main

import (
	"context"
	"io"
	"os"
	"testing"
)

func BenchmarkZZCityMonthly(b *testing.B) {
	data := os.Getenv("CITY")
	for b.Loop() {
		if err := Run(context.Background(), []string{"monthly", "--month", "2025-12", "--now", "2026-01-01T08:00", "--data", data, "--out", b.TempDir(), "--config", "../../config.toml"}, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
