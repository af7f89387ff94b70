"""The state labels of a history row (an event of a document's or a feedback's flow): its states are stored as
codes ("received"); people read their labels, in their language."""


class StateLabels:
    """`from_state_label` and `to_state_label` of a row with `from_state` and `to_state` codes of `STATES` (a
    TextChoices class)."""

    STATES: type

    def state_choices(self) -> type:
        return self.STATES

    def _state_label(self, code: str) -> str:
        try:
            return str(self.state_choices()(code).label)
        except ValueError:  # a state no longer (or never) in the choices: shown as stored
            return code

    @property
    def from_state_label(self) -> str:
        return self._state_label(self.from_state) if self.from_state else ""

    @property
    def to_state_label(self) -> str:
        return self._state_label(self.to_state)
