"""Operations wiring: the metrics and health listener, the alarm loop, the weekly report job."""
