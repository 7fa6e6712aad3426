// Package hugepages asks Linux to back memory with transparent huge pages.
// On this project's virtual machines a first touch of a 4 KiB page costs
// about 10 µs, so a run that holds a city's year (hundreds of MB, most of
// it touched once) spends a good part of its time in page faults; in 2 MiB
// pages there are 512 times fewer. Elsewhere, and where the kernel's
// settings make the advice pointless or unsafe, nothing changes.
package hugepages
