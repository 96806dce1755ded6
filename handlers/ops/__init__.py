"""Operations: metrics, readiness, the delivery alarm and the reports. Everything here reads the
database and the outbox; nothing reaches into a channel adapter."""
