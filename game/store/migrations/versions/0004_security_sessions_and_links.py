"""security: a facilitator's session version (logout everywhere) and the big-screen link's epoch

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 21:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        # NULL = the big-screen link is revoked; a renewal takes the next number (old links stop working).
        batch_op.add_column(sa.Column('screen_epoch', sa.Integer(), nullable=True, server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_column('screen_epoch')
    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.drop_column('session_version')
