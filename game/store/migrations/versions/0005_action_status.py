"""follow-up: a status per follow-up action (open, done, dropped), reviewed in the six-month session

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 10:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        # Every existing action starts open: nobody has said yet whether it was done.
        batch_op.add_column(sa.Column('action_status', sa.String(length=10), nullable=False, server_default='open'))


def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('action_status')
