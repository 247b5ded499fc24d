"""The pages of market sufficiency: dashboard, records behind figures, statements, set-up."""
