"""Reads of delivery, scoped to the acting user (the user comes first).

A provider sees the visits it delivered and those on its own agreements (a lead sees its
subcontractors' visits for its work), and only its own pay lines and remittances; council
staff see their commissioner's; platform staff everything. A guessed id is ``NotFound``.
"""
