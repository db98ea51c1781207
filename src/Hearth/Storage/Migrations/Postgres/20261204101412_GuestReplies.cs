using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Hearth.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class GuestReplies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "GuestSubscriptions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SiteId = table.Column<long>(type: "bigint", nullable: false),
                    GuestKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ConfirmedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastAskedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GuestSubscriptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GuestSubscriptions_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GuestReplyMails",
                columns: table => new
                {
                    SubscriptionId = table.Column<long>(type: "bigint", nullable: false),
                    CommentId = table.Column<long>(type: "bigint", nullable: false),
                    MailedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GuestReplyMails", x => new { x.SubscriptionId, x.CommentId });
                    table.ForeignKey(
                        name: "FK_GuestReplyMails_GuestSubscriptions_SubscriptionId",
                        column: x => x.SubscriptionId,
                        principalTable: "GuestSubscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_GuestReplyMails_MailedAt",
                table: "GuestReplyMails",
                column: "MailedAt");

            migrationBuilder.CreateIndex(
                name: "IX_GuestSubscriptions_Email_SiteId",
                table: "GuestSubscriptions",
                columns: new[] { "Email", "SiteId" });

            migrationBuilder.CreateIndex(
                name: "IX_GuestSubscriptions_SiteId_GuestKey",
                table: "GuestSubscriptions",
                columns: new[] { "SiteId", "GuestKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_GuestSubscriptions_State_LastAskedAt",
                table: "GuestSubscriptions",
                columns: new[] { "State", "LastAskedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GuestReplyMails");

            migrationBuilder.DropTable(
                name: "GuestSubscriptions");
        }
    }
}
