using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class NotificationMail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "MailedAt",
                table: "Notifications",
                type: "timestamp with time zone",
                nullable: true);

            // Notifications from before e-mail existed are not mailed now, all at once, long after the fact.
            migrationBuilder.Sql("UPDATE \"Notifications\" SET \"MailedAt\" = \"CreatedAt\"");

            migrationBuilder.AddColumn<string>(
                name: "Html",
                table: "MailQueue",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Unsubscribe",
                table: "MailQueue",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MailPreferences",
                columns: table => new
                {
                    UserId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Delivery = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailPreferences", x => new { x.UserId, x.Kind });
                    table.ForeignKey(
                        name: "FK_MailPreferences_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_MailedAt_UserId_Kind",
                table: "Notifications",
                columns: new[] { "MailedAt", "UserId", "Kind" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MailPreferences");

            migrationBuilder.DropIndex(
                name: "IX_Notifications_MailedAt_UserId_Kind",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "MailedAt",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "Html",
                table: "MailQueue");

            migrationBuilder.DropColumn(
                name: "Unsubscribe",
                table: "MailQueue");
        }
    }
}
