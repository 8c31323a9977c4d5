module appservice.dev/testcontainers/exits

go 1.21
