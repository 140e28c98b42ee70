"""Step-through teaching mode (placeholder; see issue 4). The window calls StepMode(window) once."""


class StepMode:
    def __init__(self, window):
        self.window = window
        self.is_active = False

    def enter(self) -> None:
        self.is_active = True

    def exit(self) -> None:
        self.is_active = False

    def select(self, row: int, col: int) -> None:
        pass
