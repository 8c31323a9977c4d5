module appservice.dev/testcontainers/memory-hog

go 1.21
