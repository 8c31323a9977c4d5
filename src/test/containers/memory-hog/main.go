// An app that leaks: it allocates (and touches) 64 MiB at a time, keeping all of it, until its
// memory limit stops it. So that a runtime which does not enforce the limit cannot take the host's
// memory, it stops by itself (exit 4) 256 MiB past the limit it reads from its cgroup, or at 256 MiB
// when it reads none.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

const chunk = 64 << 20

func main() {
	limit := cgroupLimit()
	bound := limit + 256<<20
	fmt.Printf("memory limit %d MiB\n", limit>>20)
	var kept [][]byte
	for int64(len(kept))*chunk < bound {
		block := make([]byte, chunk)
		for i := 0; i < len(block); i += 4096 {
			block[i] = 1
		}
		kept = append(kept, block)
		if len(kept)%8 == 0 {
			fmt.Printf("holding %d MiB\n", len(kept)*64)
		}
	}
	fmt.Fprintf(os.Stderr, "holding %d MiB: no memory limit stopped me\n", len(kept)*64)
	os.Exit(4)
}

// The memory limit of the container's cgroup (v2, else v1), 0 when there is none.
func cgroupLimit() int64 {
	for _, file := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		text, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		value, err := strconv.ParseInt(strings.TrimSpace(string(text)), 10, 64)
		if err == nil && value < 1<<50 {
			return value
		}
	}
	return 0
}
