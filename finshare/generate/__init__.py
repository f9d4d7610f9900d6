"""Generated teaching data: the Fujian group's year (documents, templates, master data) and, later, receivable histories.

``fujian/templates`` holds the voucher templates of the order-to-cash and
procure-to-pay documents (data, like every template); the year generator
writes them into the case folders it makes.
"""
